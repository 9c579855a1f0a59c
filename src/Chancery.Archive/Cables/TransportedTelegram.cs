using Chancery.Core.Cables;

namespace Chancery.Archive.Cables;

/// <summary>
/// A telegram on its way to one post in another archive: what an outbox row holds and what the shared transport
/// carries. <paramref name="Json"/> is the sending archive's stored telegram, kept byte for byte so that the number,
/// date-time group and hash stay the sender's.
/// </summary>
/// <param name="MessageId">The telegram's message id; with <paramref name="Post"/> the key that makes receipt idempotent.</param>
/// <param name="Post">The receiving post.</param>
/// <param name="Precedence">Taken in this order, FLASH first.</param>
/// <param name="Json">The telegram as the sender stored it.</param>
/// <param name="QueuedAt">When it was sent (orders rows of one precedence).</param>
public sealed record TransportedTelegram(string MessageId, string Post, Precedence Precedence, string Json, DateTimeOffset QueuedAt);
