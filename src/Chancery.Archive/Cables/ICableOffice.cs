using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Cables;

/// <summary>
/// The cable office: posts and their people, drafts that are cleared and released, telegrams numbered and sent,
/// delivered to every addressee in precedence order, distributed by classification and captions, and filed as
/// archive documents. Every step is written to the audit trail. Methods that act take the acting user's identity
/// (the surface authenticates it); the office checks the user's role at the post and clearance for the marking.
/// A telegram a reader may not see is answered exactly like a missing one.
/// </summary>
/// <remarks>
/// Transport: sending commits the message, its serial and one pending delivery per receiving post in one
/// transaction; <see cref="DeliverPending"/> takes deliveries in precedence order and records each receipt under
/// a unique (message, post) key, so a redelivery is a no-op. Filing happens once every delivery is in.
/// </remarks>
public interface ICableOffice
{
    /// <summary>The clock used when a call gives no explicit time (replays set a fixed or stepped clock).</summary>
    TimeProvider CableClock { get; set; }

    // ---- posts, people, routes (administration; audited as <paramref name="admin"/>) ----------------------------

    /// <summary>Adds a post; its serials start at 1 unless set with <see cref="SetNextSerial"/>.</summary>
    void AddPost(Post post, string admin);

    IReadOnlyList<Post> ListPosts();

    Post? GetPost(string id);

    /// <summary>Puts an archive user in a role at a post (a clearer needs the office they clear for).</summary>
    void AddMember(PostMember member, string admin);

    /// <summary>Takes a user out of a role at a post; false when they did not hold it.</summary>
    bool RemoveMember(string post, string user, CableRole role, string admin);

    /// <summary>Members of one post, or of all posts when <paramref name="post"/> is null.</summary>
    IReadOnlyList<PostMember> ListMembers(string? post);

    /// <summary>Sets how a post sends by a channel (its relay point).</summary>
    void SetRoute(ChannelRoute route, string admin);

    IReadOnlyList<ChannelRoute> ListRoutes(string post);

    /// <summary>
    /// Sets the serial the post's next telegram gets (a replay starting at 120015). It must be above every serial
    /// the post has used, so numbers stay unique. Audited.
    /// </summary>
    void SetNextSerial(string post, long next, string admin);

    /// <summary>The serial the post's next telegram will get.</summary>
    long NextSerial(string post);

    /// <summary>Lets <paramref name="designee"/> receive what reaches <paramref name="principal"/> as a named principal.</summary>
    void Designate(string principal, string designee, string admin);

    /// <summary>Defines (or redefines) a distribution list of addressees.</summary>
    void DefineList(string name, IReadOnlyList<Addressee> members, string admin);

    // ---- drafting, clearance, release, sending -------------------------------------------------------------

    /// <summary>Starts a draft; the drafter must draft at the from-post and be cleared for the marking.</summary>
    CableDraft CreateDraft(DraftContent content, ReaderIdentity drafter, DateTimeOffset? at = null);

    /// <summary>Replaces a draft's content (drafter only, before release); clearances start over.</summary>
    CableDraft UpdateDraft(long id, DraftContent content, ReaderIdentity drafter, DateTimeOffset? at = null);

    /// <summary>
    /// A draft, for its drafter, the clearers of its offices, the post's approvers and (once released) its
    /// communications clerks; null for everyone else and for missing drafts.
    /// </summary>
    CableDraft? GetDraft(long id, ReaderIdentity reader);

    /// <summary>Unsent drafts the reader may see, newest first.</summary>
    IReadOnlyList<CableDraft> ListDrafts(ReaderIdentity reader);

    /// <summary>Records the clearance of one required office by a clearer of that office.</summary>
    CableDraft Clear(long id, string office, ReaderIdentity clearer, string? comment = null, DateTimeOffset? at = null);

    /// <summary>Releases a fully cleared draft; the approver must be cleared for its marking.</summary>
    CableDraft Release(long id, ReaderIdentity approver, DateTimeOffset? at = null);

    /// <summary>
    /// Transmits a released draft: assigns the post's next serial and the date-time group, stores the telegram
    /// immutably and queues one delivery per receiving post, all in one transaction. Once this returns the
    /// telegram is never lost.
    /// </summary>
    Telegram Send(long id, ReaderIdentity clerk, SendOptions? options = null);

    /// <summary>A new draft answering <paramref name="original"/>: to its sender, citing its number, same marking and file code.</summary>
    CableDraft Reply(CableNumber original, ReaderIdentity drafter, string? fromPost = null, DateTimeOffset? at = null);

    // ---- delivery and filing -------------------------------------------------------------------------------

    /// <summary>
    /// Delivers up to <paramref name="max"/> pending deliveries, most urgent precedence first and oldest first
    /// within a precedence; each gets its received time and is distributed at the receiving post. Returns how many.
    /// </summary>
    int DeliverPending(int max = 256);

    /// <summary>Files up to <paramref name="max"/> fully delivered telegrams as archive documents; returns how many.</summary>
    int FilePending(int max = 5000);

    /// <summary>Pending deliveries by precedence, telegrams waiting to be filed and volume rows waiting for their refresh.</summary>
    CableQueueStatus QueueStatus();

    // ---- reading -------------------------------------------------------------------------------------------

    /// <summary>The reader's received (or sent) telegrams, newest first.</summary>
    IReadOnlyList<InboxEntry> Inbox(ReaderIdentity reader, CableBox box = CableBox.Received, int limit = 100);

    /// <summary>A telegram the reader received, sent or took part in; null otherwise. Reads of classified telegrams are audited.</summary>
    TelegramView? Read(CableNumber number, ReaderIdentity reader, string surface);

    /// <summary>
    /// The exchange <paramref name="number"/> belongs to: telegrams citing or cited by each other, oldest first,
    /// over what the reader may see (the chain is not followed through telegrams the reader may not see).
    /// </summary>
    IReadOnlyList<CableThreadEntry> Thread(CableNumber number, ReaderIdentity reader);

    /// <summary>Telegrams the reader may see that match a cable query (see <see cref="CableQuery"/>), newest first.</summary>
    IReadOnlyList<InboxEntry> SearchCables(string query, ReaderIdentity reader, int limit = 100);

    // ---- saved searches ------------------------------------------------------------------------------------

    /// <summary>Saves (or replaces) a named cable query; new telegrams the owner may read that match it notify them.</summary>
    SavedSearch SaveSearch(string name, string query, ReaderIdentity owner);

    IReadOnlyList<SavedSearch> ListSavedSearches(ReaderIdentity owner);

    bool RemoveSavedSearch(string name, ReaderIdentity owner);

    /// <summary>The owner's notifications, newest first.</summary>
    IReadOnlyList<CableNotification> Notifications(ReaderIdentity owner, bool unseenOnly = false);

    /// <summary>Marks every notification of the owner seen; returns how many changed.</summary>
    int MarkNotificationsSeen(ReaderIdentity owner);

    // ---- editions ------------------------------------------------------------------------------------------

    /// <summary>
    /// Copies a filed telegram into an edition volume as document <paramref name="documentNumber"/>
    /// (<c>{volumeId}#d{documentNumber}</c>), withheld until a review releases it. Returns the new document id.
    /// </summary>
    string SelectForEdition(CableNumber number, string volumeId, string documentNumber, ReaderIdentity editor);
}

/// <summary>How a released draft is transmitted: the channel (else the draft's, else State) and an explicit send time for replays.</summary>
public sealed record SendOptions(CableChannel? Channel = null, DateTimeOffset? At = null);

/// <summary>Work waiting in the cable office.</summary>
/// <param name="PendingDeliveries">Deliveries waiting, by precedence.</param>
/// <param name="Unfiled">Telegrams not yet filed as archive documents.</param>
/// <param name="StaleVolumes">Per-year volumes whose row (contents, count, content hash) waits to be brought level with
/// the telegrams filed into them: filing refreshes it when it catches up, not after every batch.</param>
/// <param name="Outbox">Telegrams for posts in other archives that the relay has not carried to their transport yet.</param>
/// <param name="Parked">Telegrams refused on arrival from another archive and set aside for an operator; they do not
/// keep the office from settling, since nothing the office does will move them.</param>
public sealed record CableQueueStatus(IReadOnlyDictionary<Precedence, int> PendingDeliveries, int Unfiled, int StaleVolumes = 0, int Outbox = 0, int Parked = 0)
{
    /// <summary>True when nothing is pending, unfiled, stale or waiting in the outbox: the archive is level with the traffic.</summary>
    public bool Settled => TotalPending == 0 && Unfiled == 0 && StaleVolumes == 0 && Outbox == 0;

    /// <summary>All pending deliveries.</summary>
    public int TotalPending => PendingDeliveries.Values.Sum();

    /// <summary>True when a FLASH, NIACT IMMEDIATE or IMMEDIATE delivery is waiting.</summary>
    public bool UrgentPending => PendingDeliveries.Any(p => p.Key <= Precedence.Immediate && p.Value > 0);
}
