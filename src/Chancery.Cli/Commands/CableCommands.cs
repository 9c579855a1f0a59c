using System.CommandLine;
using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Archive.Postgres;
using Chancery.Archive.Sqlite;
using Chancery.Cli.Output;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Cli.Commands;

/// <summary>
/// <c>chancery posts …</c> and <c>chancery cable …</c>: the cable office on the embedded archive. Every step acts
/// as the <c>--as</c> user; the office itself decides who may draft, clear, release, send and read.
/// </summary>
public static class CableCommands
{
    // ---- posts ------------------------------------------------------------------------------------------------

    public static Command Posts(Globals g)
    {
        var command = new Command("posts", "Posts of the cable office (embassies, the Department, …), their staff and channels");
        command.Subcommands.Add(AddPost(g));
        command.Subcommands.Add(ListPosts(g));
        command.Subcommands.Add(Member(g));
        command.Subcommands.Add(Members(g));
        command.Subcommands.Add(Route(g));
        command.Subcommands.Add(Designate(g));
        command.Subcommands.Add(Serial(g));
        return command;
    }

    private static Command AddPost(Globals g)
    {
        var id = new Argument<string>("ID") { Description = "Lower-case id, e.g. moscow" };
        var name = new Option<string>("--name") { HelpName = "NAME", Description = "e.g. \"Embassy Moscow\"", Required = true };
        var place = new Option<string>("--place") { HelpName = "PLACE", Description = "e.g. Moscow", Required = true };
        var prefix = new Option<string>("--prefix") { HelpName = "PREFIX", Description = "Number prefix, e.g. MOSCOW", Required = true };
        var offset = new Option<string?>("--utc-offset") { HelpName = "±HH:MM", Description = "The post's time zone, e.g. +03:00 [default: +00:00]" };
        var remote = new Option<string?>("--remote") { HelpName = "URL", Description = "The post lives in another archive, reached through this transport (postgres://user@host:port/database); run `chancery cable relay`" };
        var command = new Command("add", "Add a post") { id, name, place, prefix, offset, remote };
        g.Handle(command, (parse, session) =>
        {
            var utc = ParseOffset(parse.GetValue(offset));
            var post = new Post(parse.GetValue(id)!.Trim(), parse.GetValue(name)!.Trim(), parse.GetValue(place)!.Trim(), parse.GetValue(prefix)!.Trim(), utc);
            if (post.Problem() is { } problem)
            {
                throw new CliException(problem);
            }
            if (parse.GetValue(remote) is { } transport)
            {
                PostgresUrl.ToConnectionString(transport.Trim()); // a URL the relay could not read is refused now, not at the first relay
                Embedded(session).AddRemotePost(post, transport, Admin(session));
                session.Terminal.Out.WriteLine($"added remote post {post.Id}: {post.Name}, {post.Place} (numbers {post.Prefix} N), reached through {PostgresUrl.Redact(transport.Trim())}");
                return ExitCodes.Ok;
            }
            Office(session).AddPost(post, Admin(session));
            session.Terminal.Out.WriteLine($"added post {post.Id}: {post.Name}, {post.Place} (numbers {post.Prefix} N)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListPosts(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("list", "List posts") { json };
        g.Handle(command, (parse, session) =>
        {
            var office = Office(session);
            var posts = office.ListPosts();
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, posts.Select(p => new { id = p.Id, name = p.Name, place = p.Place, prefix = p.Prefix, utcOffset = p.UtcOffset.ToString(), nextSerial = office.NextSerial(p.Id) }));
                return ExitCodes.Ok;
            }
            if (posts.Count == 0)
            {
                output.WriteLine("no posts (add one with `chancery posts add`)");
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "PLACE", "PREFIX", "NEXT");
            foreach (var p in posts)
            {
                table.Add(p.Id, p.Name, p.Place, p.Prefix, office.NextSerial(p.Id).ToString(CultureInfo.InvariantCulture));
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Member(Globals g)
    {
        var post = new Argument<string>("POST");
        var user = new Argument<string>("USER") { Description = "An archive user (see `chancery users`)" };
        var role = new Option<string>("--role") { HelpName = "ROLE", Description = "drafter, clearer, approver, communications-clerk or principal", Required = true };
        var officeName = new Option<string?>("--office") { HelpName = "OFFICE", Description = "The office a clearer clears for (e.g. POL)" };
        var title = new Option<string?>("--title") { HelpName = "TITLE", Description = "How a principal is addressed (e.g. \"the President\")" };
        var command = new Command("member", "Give a user a role at a post") { post, user, role, officeName, title };
        g.Handle(command, (parse, session) =>
        {
            var r = CableRoles.Parse(parse.GetValue(role)) ?? throw new CliException($"'{parse.GetValue(role)}' is not a role (drafter, clearer, approver, communications-clerk, principal)");
            var member = new PostMember(parse.GetValue(post)!, parse.GetValue(user)!, r, parse.GetValue(officeName), parse.GetValue(title));
            Office(session).AddMember(member, Admin(session));
            session.Terminal.Out.WriteLine($"{member.User} is {CableRoles.CommandName(r)} at {member.Post}{(member.Office is null ? "" : " for " + member.Office)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Members(Globals g)
    {
        var post = new Argument<string?>("POST") { Arity = ArgumentArity.ZeroOrOne };
        var json = Globals.JsonOption();
        var command = new Command("members", "List the staff of one post or of all") { post, json };
        g.Handle(command, (parse, session) =>
        {
            var members = Office(session).ListMembers(parse.GetValue(post));
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, members.Select(m => new { post = m.Post, user = m.User, role = CableRoles.CommandName(m.Role), office = m.Office, title = m.Title }));
                return ExitCodes.Ok;
            }
            var table = new TextTable("POST", "USER", "ROLE", "OFFICE", "TITLE");
            foreach (var m in members)
            {
                table.Add(m.Post, m.User, CableRoles.CommandName(m.Role), m.Office ?? "-", m.Title ?? "-");
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Route(Globals g)
    {
        var post = new Argument<string>("POST");
        var channel = new Option<string>("--channel") { HelpName = "CHANNEL", Description = "State, Navy or Army", Required = true };
        var relay = new Option<string>("--relay") { HelpName = "RELAY", Description = "The relay point, e.g. \"the United States Naval Attaché, Moscow\"", Required = true };
        var command = new Command("route", "Set the route a post sends over on a channel") { post, channel, relay };
        g.Handle(command, (parse, session) =>
        {
            var c = ChannelRoute.ParseChannel(parse.GetValue(channel)) ?? throw new CliException($"'{parse.GetValue(channel)}' is not a channel (State, Navy, Army)");
            var route = new ChannelRoute(parse.GetValue(post)!, c, parse.GetValue(relay)!.Trim());
            Office(session).SetRoute(route, Admin(session));
            session.Terminal.Out.WriteLine($"{route.Post}: {route.SentBy}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Serial(Globals g)
    {
        var post = new Argument<string>("POST");
        var next = new Argument<long>("NEXT") { Description = "The serial the next telegram gets (never lower than one already used)" };
        var command = new Command("serial", "Set a post's next telegram serial (to continue an existing numbering)") { post, next };
        g.Handle(command, (parse, session) =>
        {
            Office(session).SetNextSerial(parse.GetValue(post)!, parse.GetValue(next), Admin(session));
            session.Terminal.Out.WriteLine($"{parse.GetValue(post)}: next serial {parse.GetValue(next)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Designate(Globals g)
    {
        var principal = new Argument<string>("PRINCIPAL");
        var designee = new Argument<string>("DESIGNEE");
        var command = new Command("designate", "Let a user read what is PERSONAL-FOR or NODIS for a principal") { principal, designee };
        g.Handle(command, (parse, session) =>
        {
            Office(session).Designate(parse.GetValue(principal)!, parse.GetValue(designee)!, Admin(session));
            session.Terminal.Out.WriteLine($"{parse.GetValue(designee)} reads for {parse.GetValue(principal)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // ---- cables -----------------------------------------------------------------------------------------------

    public static Command Cable(Globals g)
    {
        var command = new Command("cable", "Draft, clear, release, send and read telegrams (act with --as USER)");
        command.Subcommands.Add(Draft(g));
        command.Subcommands.Add(Drafts(g));
        command.Subcommands.Add(Clear(g));
        command.Subcommands.Add(Release(g));
        command.Subcommands.Add(Send(g));
        command.Subcommands.Add(Deliver(g));
        command.Subcommands.Add(Relay(g));
        command.Subcommands.Add(Parked(g));
        command.Subcommands.Add(Inbox(g));
        command.Subcommands.Add(Read(g));
        command.Subcommands.Add(Reply(g));
        command.Subcommands.Add(Thread(g));
        command.Subcommands.Add(Watch(g));
        command.Subcommands.Add(Notifications(g));
        return command;
    }

    private static Command Draft(Globals g)
    {
        var from = new Option<string>("--from") { HelpName = "POST", Description = "The originating post", Required = true };
        var action = new Option<string>("--action") { HelpName = "ADDRESSEES", Description = "Action addressees, comma-separated: post:ID, user:NAME, list:NAME", Required = true };
        var info = new Option<string?>("--info") { HelpName = "ADDRESSEES", Description = "Info addressees, comma-separated" };
        var classification = new Option<string?>("--classification") { HelpName = "LEVEL", Description = "unclassified, restricted, confidential, secret or top-secret [default: unclassified]" };
        var captions = new Option<string?>("--captions") { HelpName = "A,B", Description = "Controls, comma-separated: NODIS, EXDIS, LIMDIS, EYES-ONLY, PERSONAL-FOR, NOFORN" };
        var personalFor = new Option<string?>("--personal-for") { HelpName = "NAMES", Description = "The principals (user names) a PERSONAL-FOR or NODIS telegram is for" };
        var precedence = new Option<string?>("--precedence") { HelpName = "PRECEDENCE", Description = "FLASH, NIACT IMMEDIATE, IMMEDIATE, PRIORITY or ROUTINE [default: ROUTINE]" };
        var subject = new Option<string>("--subject") { HelpName = "TEXT", Description = "The subject line", Required = true };
        var fileCode = new Option<string?>("--file-code") { HelpName = "CODE", Description = "Decimal subject code it is filed under, e.g. 761.93" };
        var tags = new Option<string?>("--tags") { HelpName = "A,B", Description = "TAGS, comma-separated (PREL, PINT, …)" };
        var refs = new Option<string[]>("--ref") { HelpName = "NUMBER", Description = "An earlier telegram cited, e.g. \"MOSCOW 120015\" (repeatable)", AllowMultipleArgumentsPerToken = false };
        var clearances = new Option<string?>("--clearances") { HelpName = "A,B", Description = "Offices that must clear, comma-separated (POL, EUR)" };
        var channel = new Option<string?>("--channel") { HelpName = "CHANNEL", Description = "State, Navy or Army [default: the post's State route]" };
        var signature = new Option<string?>("--signature") { HelpName = "NAME", Description = "The name the telegram is signed with, printed at its end (e.g. Harriman)" };
        var body = new Option<string>("--body") { HelpName = "FILE|-", Description = "A file with the text (paragraphs separated by blank lines), or - for standard input", Required = true };
        var command = new Command("draft", "Write a new draft") { from, action, info, classification, captions, personalFor, precedence, subject, fileCode, tags, refs, clearances, channel, signature, body };
        g.Handle(command, (parse, session) =>
        {
            var content = new DraftContent
            {
                FromPost = parse.GetValue(from)!.Trim(),
                Action = Addressees(parse.GetValue(action), "--action"),
                Info = Addressees(parse.GetValue(info), "--info"),
                Classification = parse.GetValue(classification) is { } level ? UserCommands.ParseClearance(level) : ClassificationLevel.Unclassified,
                Captions = UserCommands.ParseControls(parse.GetValue(captions)),
                PersonalFor = List(parse.GetValue(personalFor)),
                Precedence = parse.GetValue(precedence) is { } p ? Precedences.Parse(p) ?? throw new CliException($"'{p}' is not a precedence (FLASH, NIACT IMMEDIATE, IMMEDIATE, PRIORITY, ROUTINE)") : Precedence.Routine,
                Subject = parse.GetValue(subject)!.Trim(),
                SubjectCode = parse.GetValue(fileCode)?.Trim(),
                Tags = List(parse.GetValue(tags)).Select(t => t.ToUpperInvariant()).ToList(),
                References = (parse.GetValue(refs) ?? []).Select(Number).ToList(),
                RequiredClearances = List(parse.GetValue(clearances)).Select(t => t.ToUpperInvariant()).ToList(),
                Channel = parse.GetValue(channel) is { } c ? ChannelRoute.ParseChannel(c) ?? throw new CliException($"'{c}' is not a channel (State, Navy, Army)") : null,
                Signature = parse.GetValue(signature)?.Trim(),
                Body = ReadBody(parse.GetValue(body)!, session.Terminal),
            };
            var draft = Office(session).CreateDraft(content, Actor(session));
            session.Terminal.Out.WriteLine($"draft {draft.Id}: {content.Subject} ({Status(draft)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Drafts(Globals g)
    {
        var json = Globals.JsonOption();
        var command = new Command("drafts", "Drafts you wrote or must clear, release or send") { json };
        g.Handle(command, (parse, session) =>
        {
            var drafts = Office(session).ListDrafts(Actor(session));
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, drafts);
                return ExitCodes.Ok;
            }
            if (drafts.Count == 0)
            {
                output.WriteLine("no drafts");
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "FROM", "PRECEDENCE", "CLASSIFICATION", "SUBJECT", "STATUS");
            foreach (var d in drafts)
            {
                table.Add(d.Id.ToString(CultureInfo.InvariantCulture), d.Content.FromPost, Precedences.Printed(d.Content.Precedence),
                    Markings.CommandName(d.Content.Classification), d.Content.Subject, Status(d));
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Clear(Globals g)
    {
        var id = DraftId();
        var officeName = new Option<string>("--office") { HelpName = "OFFICE", Description = "The office you clear for", Required = true };
        var comment = new Option<string?>("--comment") { HelpName = "TEXT", Description = "A note recorded with the clearance" };
        var command = new Command("clear", "Clear a draft for your office") { id, officeName, comment };
        g.Handle(command, (parse, session) =>
        {
            var draft = Office(session).Clear(parse.GetValue(id), parse.GetValue(officeName)!.Trim().ToUpperInvariant(), Actor(session), parse.GetValue(comment));
            session.Terminal.Out.WriteLine($"draft {draft.Id}: {Status(draft)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Release(Globals g)
    {
        var id = DraftId();
        var command = new Command("release", "Release a cleared draft for transmission (approvers)") { id };
        g.Handle(command, (parse, session) =>
        {
            var draft = Office(session).Release(parse.GetValue(id), Actor(session));
            session.Terminal.Out.WriteLine($"draft {draft.Id}: {Status(draft)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Send(Globals g)
    {
        var id = DraftId();
        var channel = new Option<string?>("--channel") { HelpName = "CHANNEL", Description = "State, Navy or Army [default: as drafted]" };
        var command = new Command("send", "Transmit a released draft (communications clerks); delivers and files it in this archive") { id, channel };
        g.Handle(command, (parse, session) =>
        {
            var office = Office(session);
            var options = parse.GetValue(channel) is { } c ? new SendOptions(ChannelRoute.ParseChannel(c) ?? throw new CliException($"'{c}' is not a channel (State, Navy, Army)")) : null;
            var telegram = office.Send(parse.GetValue(id), Actor(session), options);
            // posts in one archive deliver in-process: the queue is drained before the command returns
            var delivered = DrainQueue(office);
            session.Terminal.Out.WriteLine($"sent {telegram.Number} ({telegram.DateTimeGroup}) {Precedences.Printed(telegram.Precedence)}, {telegram.Route.SentBy} Delivered: {delivered}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Deliver(Globals g)
    {
        var command = new Command("deliver", "Deliver and file whatever is queued (after a crash, or for a long-running office)");
        g.Handle(command, (parse, session) =>
        {
            var office = Office(session);
            var delivered = DrainQueue(office);
            session.Terminal.Out.WriteLine($"delivered {delivered}; queue: {office.QueueStatus().TotalPending} pending");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Relay(Globals g)
    {
        var once = new Option<bool>("--once") { Description = "One pass, then exit (otherwise poll until interrupted)" };
        var transportOption = new Option<string[]>("--transport") { HelpName = "URL", Description = "Also take telegrams for this archive's posts from this transport (repeatable) [default: the transports of the remote posts]" };
        var interval = new Option<int>("--interval-ms") { HelpName = "MS", Description = "Pause between passes when nothing moved", DefaultValueFactory = _ => 200 };
        var command = new Command("relay", "Carry telegrams to and from posts in other archives through their transport, and deliver what arrives") { once, transportOption, interval };
        g.Handle(command, (parse, session) =>
        {
            var archive = Embedded(session);
            var urls = archive.RemotePosts().Values.Concat(parse.GetValue(transportOption) ?? []).Select(u => u.Trim())
                .Distinct(StringComparer.Ordinal).ToList();
            if (urls.Count == 0)
            {
                throw new CliException("no remote posts and no --transport: nothing to relay (declare one with `chancery posts add ID … --remote postgres://…`)");
            }
            if (parse.GetValue(interval) < 1)
            {
                throw new CliException("--interval-ms must be at least 1");
            }
            var transports = urls.Select(u => new PostgresCableTransport(u)).ToList();
            var pause = TimeSpan.FromMilliseconds(parse.GetValue(interval));
            try
            {
                // every step commits before the next begins, so interrupting the loop at any point loses and duplicates nothing
                while (true)
                {
                    int pushed = 0, received = 0;
                    var parked = new List<ParkedTelegram>();
                    try
                    {
                        foreach (var t in transports)
                        {
                            var pass = t.Relay(archive);
                            pushed += pass.Pushed;
                            received += pass.Received;
                            parked.AddRange(pass.Parked);
                        }
                    }
                    catch (ArchiveException e) when (!parse.GetValue(once))
                    {
                        // a transport server restarting or out of reach: what is not committed stays where it was, so try again
                        session.Terminal.Err.WriteLine($"chancery: {e.Message}; trying again in {pause.TotalMilliseconds:F0} ms");
                        System.Threading.Thread.Sleep(pause);
                        continue;
                    }
                    var delivered = DrainQueue(archive);
                    var moved = pushed + received + parked.Count > 0;
                    if (parse.GetValue(once) || moved)
                    {
                        session.Terminal.Out.WriteLine($"relayed {pushed} out, {received} in{(parked.Count > 0 ? $", {parked.Count} parked" : "")}; delivered {delivered}");
                        foreach (var p in parked)
                        {
                            session.Terminal.Out.WriteLine($"parked {p.Number ?? "message " + p.MessageId} for {p.Post}: {p.Reason}");
                        }
                    }
                    if (parse.GetValue(once))
                    {
                        return ExitCodes.Ok;
                    }
                    if (!moved)
                    {
                        // woken by a push to any transport (LISTEN/NOTIFY) or after the pause, for this archive's own outbox
                        WaitForTraffic(transports, pause);
                    }
                }
            }
            finally
            {
                transports.ForEach(t => t.Dispose());
            }
        });
        return command;
    }

    private static void WaitForTraffic(List<PostgresCableTransport> transports, TimeSpan pause)
    {
        var each = pause / transports.Count;
        foreach (var t in transports)
        {
            try
            {
                if (t.WaitForTraffic(each))
                {
                    return;
                }
            }
            catch (ArchiveException)
            {
                // the next pass reports the transport that cannot be reached
                System.Threading.Thread.Sleep(each);
            }
        }
    }

    private static Command Parked(Globals g)
    {
        var command = new Command("parked", "Telegrams from other archives that this archive refused on arrival, with the reason (they wait for an operator)");
        g.Handle(command, (parse, session) =>
        {
            var parked = Embedded(session).ParkedTelegrams();
            if (parked.Count == 0)
            {
                session.Terminal.Out.WriteLine("no parked telegrams");
            }
            foreach (var p in parked)
            {
                session.Terminal.Out.WriteLine($"{p.Number ?? "message " + p.MessageId} for {p.Post}, parked {p.ParkedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: {p.Reason}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Inbox(Globals g)
    {
        var sent = new Option<bool>("--sent") { Description = "Telegrams your posts sent, instead of received" };
        var limit = new Option<int>("--limit") { HelpName = "N", Description = "At most this many", DefaultValueFactory = _ => 50 };
        var json = Globals.JsonOption();
        var command = new Command("inbox", "Your telegrams, newest first (most urgent first among the unread)") { sent, limit, json };
        g.Handle(command, (parse, session) =>
        {
            var entries = Office(session).Inbox(Actor(session), parse.GetValue(sent) ? CableBox.Sent : CableBox.Received, Math.Clamp(parse.GetValue(limit), 1, 1000));
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, entries);
                return ExitCodes.Ok;
            }
            if (entries.Count == 0)
            {
                output.WriteLine("no telegrams");
                return ExitCodes.Ok;
            }
            var table = new TextTable("NUMBER", "PRECEDENCE", "CLASSIFICATION", "FROM", "SUBJECT", "SENT", "RECEIVED");
            foreach (var e in entries)
            {
                table.Add(e.Number.ToString(), Precedences.Printed(e.Precedence), Marking(e.Classification, e.Captions), e.From, e.Subject,
                    Time(e.Sent), e.Received is { } r ? Time(r) : "-");
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Read(Globals g)
    {
        var number = NumberArgument();
        var json = Globals.JsonOption();
        var command = new Command("read", "Read a telegram by its number (e.g. \"MOSCOW 120015\")") { number, json };
        g.Handle(command, (parse, session) =>
        {
            var n = Number(parse.GetValue(number)!);
            var view = Office(session).Read(n, Actor(session), Session.Surface)
                ?? throw new CliException($"no telegram {n} (or you may not read it)", ExitCodes.NotFound);
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, view);
                return ExitCodes.Ok;
            }
            var t = view.Telegram;
            output.WriteLine($"{t.Number}    {Marking(t.Classification, t.Captions)}    {Precedences.Printed(t.Precedence)}");
            output.WriteLine($"From: {t.FromName}, {t.Place}    {t.DateTimeGroup}");
            output.WriteLine($"To: {t.ActionLine}");
            var infos = t.Recipients.Where(r => !r.Action).Select(r => r.Display).Distinct().ToList();
            if (infos.Count > 0)
            {
                output.WriteLine($"Info: {string.Join(", ", infos)}");
            }
            foreach (var caption in t.PrintedCaptions)
            {
                output.WriteLine(caption);
            }
            output.WriteLine($"Subject: {t.Subject}");
            if (t.FileNumber is not null)
            {
                output.WriteLine($"File: {t.FileNumber}");
            }
            if (t.References.Count > 0)
            {
                output.WriteLine($"REF: {string.Join("; ", t.References)}");
            }
            output.WriteLine();
            foreach (var paragraph in t.Body)
            {
                output.WriteLine(paragraph);
                output.WriteLine();
            }
            if (t.Signature is not null)
            {
                output.WriteLine(t.Signature);
            }
            output.WriteLine(t.Route.SentBy);
            foreach (var receipt in view.Receipts)
            {
                // the note is the receipt as FRUS prints it ("[Received November 29, 11:26 p.m.]")
                output.WriteLine($"{(receipt.Note.Length > 0 ? receipt.Note : "[Received]")} at {receipt.Post}, {Time(receipt.Received)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reply(Globals g)
    {
        var number = NumberArgument();
        var from = new Option<string?>("--from") { HelpName = "POST", Description = "The post you reply from [default: yours]" };
        var command = new Command("reply", "Start a draft answering a telegram (it cites the original's number)") { number, from };
        g.Handle(command, (parse, session) =>
        {
            var draft = Office(session).Reply(Number(parse.GetValue(number)!), Actor(session), parse.GetValue(from));
            session.Terminal.Out.WriteLine($"draft {draft.Id}: {draft.Content.Subject} (reply to {draft.Content.InReplyTo}; {Status(draft)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Thread(Globals g)
    {
        var number = NumberArgument();
        var json = Globals.JsonOption();
        var command = new Command("thread", "The exchange a telegram belongs to, oldest first") { number, json };
        g.Handle(command, (parse, session) =>
        {
            var thread = Office(session).Thread(Number(parse.GetValue(number)!), Actor(session));
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, thread);
                return ExitCodes.Ok;
            }
            if (thread.Count == 0)
            {
                throw new CliException($"no telegram {parse.GetValue(number)} (or you may not read it)", ExitCodes.NotFound);
            }
            foreach (var e in thread)
            {
                var cites = e.Cites.Count == 0 ? "" : $"  (cites {string.Join(", ", e.Cites)})";
                output.WriteLine($"{Time(e.Sent)}  {e.Number}  {e.From}: {e.Subject}{cites}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch(Globals g)
    {
        var name = new Argument<string>("NAME");
        var query = new Argument<string>("QUERY") { Description = "A cable query (words, from:, precedence:, …)" };
        var command = new Command("watch", "Save a search: you are notified of each new telegram you may read that matches") { name, query };
        g.Handle(command, (parse, session) =>
        {
            var saved = Office(session).SaveSearch(parse.GetValue(name)!, parse.GetValue(query)!, Actor(session));
            session.Terminal.Out.WriteLine($"watching {saved.Name}: {saved.Query}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Notifications(Globals g)
    {
        var unseen = new Option<bool>("--unseen") { Description = "Only those not yet seen (and mark them seen)" };
        var json = Globals.JsonOption();
        var command = new Command("notifications", "New telegrams that matched your saved searches") { unseen, json };
        g.Handle(command, (parse, session) =>
        {
            var office = Office(session);
            var reader = Actor(session);
            var list = office.Notifications(reader, parse.GetValue(unseen));
            if (parse.GetValue(unseen))
            {
                office.MarkNotificationsSeen(reader);
            }
            var output = session.Terminal.Out;
            if (parse.GetValue(json))
            {
                Json.Write(output, list);
                return ExitCodes.Ok;
            }
            foreach (var n in list)
            {
                output.WriteLine($"{Time(n.At)}  [{n.Search}]  {n.Number}  {Precedences.Printed(n.Precedence)}  {n.Subject}");
            }
            if (list.Count == 0)
            {
                output.WriteLine("no notifications");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static ICableOffice Office(Session session) =>
        session.Archive as ICableOffice
        ?? throw new CliException($"the cable office runs on the embedded archive; {session.Location} does not offer it");

    private static SqliteArchive Embedded(Session session) =>
        session.Archive as SqliteArchive
        ?? throw new CliException($"remote posts and the relay belong to the embedded archive; {session.Location} does not offer them");

    /// <summary>The <c>--as</c> user: the cable office never acts for the anonymous public.</summary>
    private static ReaderIdentity Actor(Session session)
    {
        var archive = session.Archive;
        return session.User(archive)?.Identity
            ?? throw new CliException("cable commands act for a user: add --as NAME (see `chancery users list`)");
    }

    private static string Admin(Session session) => session.UserName ?? "operator";

    private static int DrainQueue(ICableOffice office)
    {
        var delivered = 0;
        for (var n = office.DeliverPending(); n > 0; n = office.DeliverPending())
        {
            delivered += n;
        }
        while (office.FilePending() > 0)
        {
        }
        return delivered;
    }

    private static Argument<long> DraftId() => new("DRAFT") { Description = "The draft's number (see `chancery cable drafts`)" };

    private static Argument<string> NumberArgument() => new("NUMBER") { Description = "A telegram number, e.g. \"MOSCOW 120015\"" };

    private static CableNumber Number(string text) =>
        CableNumber.TryParse(text, out var n) ? n : throw new CliException($"'{text}' is not a telegram number (write the post's prefix and the serial, e.g. \"MOSCOW 120015\")");

    private static IReadOnlyList<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IReadOnlyList<Addressee> Addressees(string? text, string option) =>
        List(text).Select(a => Addressee.TryParse(a, out var x) ? x : throw new CliException($"{option}: '{a}' is not an addressee (post:ID, user:NAME or list:NAME)")).ToList();

    private static IReadOnlyList<string> ReadBody(string source, Terminal terminal)
    {
        string text;
        try
        {
            text = source == "-" ? terminal.In.ReadToEnd() : File.ReadAllText(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the body from {source}: {e.Message}");
        }
        var paragraphs = CableText.Paragraphs(text);
        return paragraphs.Count > 0 ? paragraphs : throw new CliException($"the body ({source}) is empty");
    }

    private static TimeSpan ParseOffset(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.Zero;
        }
        var t = text.Trim();
        var negative = t.StartsWith('-');
        if (TimeSpan.TryParseExact(t.TrimStart('+', '-'), @"hh\:mm", CultureInfo.InvariantCulture, out var span))
        {
            return negative ? -span : span;
        }
        throw new CliException($"--utc-offset '{text}' is not an offset like +03:00 or -05:00");
    }

    // the CLI names the draft state first ("draft, waiting for …"); the words after it are the office's
    private static string Status(CableDraft d) => (d.Status == DraftStatus.Draft ? "draft, " : "") + CableText.Status(d);

    private static string Marking(ClassificationLevel level, IReadOnlyList<string> captions) => CableText.Marking(level, captions);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
