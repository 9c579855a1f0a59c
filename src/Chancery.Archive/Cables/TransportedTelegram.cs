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

/// <summary>A telegram the receiving archive refused on arrival and set aside, so that the traffic behind it goes on.</summary>
/// <param name="MessageId">The telegram's message id.</param>
/// <param name="Post">The receiving post it was for.</param>
/// <param name="Number">Its number ("MOSCOW 120015") when its text could be read.</param>
/// <param name="Reason">Why it was refused, in one line.</param>
/// <param name="ParkedAt">When it was parked.</param>
public sealed record ParkedTelegram(string MessageId, string Post, string? Number, string Reason, DateTimeOffset ParkedAt);

/// <summary>What one batch taken from the transport did in the receiving archive.</summary>
/// <param name="Queued">Deliveries queued (a replayed telegram queues none).</param>
/// <param name="Parked">Telegrams refused and parked.</param>
public sealed record TransportArrival(int Queued, IReadOnlyList<ParkedTelegram> Parked);
