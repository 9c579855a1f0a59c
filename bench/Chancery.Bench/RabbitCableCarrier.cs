using System.Text.Json;
using System.Threading.Channels;
using Chancery.Archive.Cables;
using Chancery.Archive.Sqlite;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Chancery.Bench;

/// <summary>
/// RabbitMQ as the carrier between archives, for the measurement decision 003 asks for: the same archive ends as
/// the PostgreSQL transport (outbox written in the sending transaction, idempotent receipt by message id), with a
/// durable priority queue in between. The sender publishes persistent messages and forgets its outbox rows only after
/// the broker confirmed them; the receiver stores a batch in its archive and only then acknowledges it (manual acks).
/// Bench only: the archive's remote posts name a postgres:// transport, which is only the key their outbox rows and
/// arrivals are filed under here.
/// </summary>
internal sealed class RabbitCableCarrier : IAsyncDisposable
{
    private const string Queue = "chancery.cables";
    private readonly IConnection _connection;
    private readonly IChannel _publisher;
    private readonly IChannel _consumer;
    private readonly Channel<(ulong Tag, TransportedTelegram Telegram)> _arrived = Channel.CreateUnbounded<(ulong, TransportedTelegram)>();
    private readonly string _key;

    private RabbitCableCarrier(IConnection connection, IChannel publisher, IChannel consumer, string key)
    {
        _connection = connection;
        _publisher = publisher;
        _consumer = consumer;
        _key = key;
    }

    /// <summary>Connects, declares the durable queue afresh (priorities FLASH 5 … ROUTINE 1) and starts consuming.</summary>
    public static async Task<RabbitCableCarrier> Open(string amqp, string key)
    {
        IConnection connection;
        try
        {
            connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync();
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
        {
            // a one-line answer, not a stack trace: the broker is an optional part of this bench
            throw new InvalidOperationException($"no RabbitMQ at {amqp} ({e.InnerException?.Message ?? e.Message}): start one with `rabbitmq-server -detached`, or pass --transport postgres", e);
        }
        var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var consumer = await connection.CreateChannelAsync();
        await publisher.QueueDeleteAsync(Queue);
        await publisher.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-priority"] = 5 });
        var carrier = new RabbitCableCarrier(connection, publisher, consumer, key);
        await consumer.BasicQosAsync(0, 2048, false);
        var c = new AsyncEventingBasicConsumer(consumer);
        c.ReceivedAsync += (_, e) =>
        {
            // the body is only valid during the handler
            var telegram = JsonSerializer.Deserialize<TransportedTelegram>(e.Body.Span)!;
            carrier._arrived.Writer.TryWrite((e.DeliveryTag, telegram));
            return Task.CompletedTask;
        };
        await consumer.BasicConsumeAsync(Queue, autoAck: false, c);
        return carrier;
    }

    /// <summary>Publishes the outbox of <paramref name="archive"/> batch by batch, forgetting each batch once the broker confirmed all of it.</summary>
    public async Task<int> Push(SqliteArchive archive, int batch = 512)
    {
        var pushed = 0;
        for (var rows = archive.PendingOutbox(_key, batch); rows.Count > 0; rows = archive.PendingOutbox(_key, batch))
        {
            var confirms = rows.Select(t => _publisher.BasicPublishAsync("", Queue, mandatory: true,
                new BasicProperties { Persistent = true, MessageId = t.MessageId, Priority = (byte)(5 - (int)t.Precedence) },
                JsonSerializer.SerializeToUtf8Bytes(t)).AsTask()).ToList();
            await Task.WhenAll(confirms); // throws when the broker refused or lost one: the outbox keeps the batch
            archive.ForgetOutbox(rows);
            pushed += rows.Count;
        }
        return pushed;
    }

    /// <summary>Stores what arrived (waiting up to <paramref name="wait"/> for the first) in one archive transaction, then acknowledges it.</summary>
    public async Task<int> Receive(SqliteArchive archive, TimeSpan wait, int batch = 512)
    {
        using (var timeout = new CancellationTokenSource(wait))
        {
            try
            {
                await _arrived.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
        var taken = new List<TransportedTelegram>();
        ulong last = 0;
        while (taken.Count < batch && _arrived.Reader.TryRead(out var item))
        {
            taken.Add(item.Telegram);
            last = Math.Max(last, item.Tag);
        }
        if (taken.Count == 0)
        {
            return 0;
        }
        archive.ReceiveTransported(_key, taken);
        await _consumer.BasicAckAsync(last, multiple: true);
        return taken.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _consumer.CloseAsync();
        await _publisher.QueueDeleteAsync(Queue);
        await _publisher.CloseAsync();
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
