using System.Globalization;
using Chancery.Archive;
using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Pages;

/// <summary>
/// The cable office in the browser: inbox, sent box, reading a telegram, the thread, drafts with their clear,
/// release and send buttons, and a compose form. Only signed-in users have an office; the office itself decides
/// what each user may do, and a telegram a reader may not see answers exactly like one that does not exist.
/// </summary>
internal static class CablePages
{
    public static void Map(WebApplication app)
    {
        if (app.Services.GetRequiredService<IArchive>() is not ICableOffice office)
        {
            return;
        }
        // the embedded mode delivers in-process: telegrams sent here or by the CLI reach their inboxes without a broker.
        // The delivery thread starts with the first use of the office (or at once when the archive has posts), so a
        // reader-only archive runs no background thread.
        var wake = app.Services.GetRequiredService<CableWake>();
        wake.Start = () => new CableDeliverer(office);
        app.Lifetime.ApplicationStopping.Register(wake.Stop);
        if (office.ListPosts().Count > 0)
        {
            wake.Ensure();
        }

        app.MapRead("/cables", (HttpContext c) => Box(Started(c), office, CableBox.Received));
        app.MapRead("/cables/sent", (HttpContext c) => Box(c, office, CableBox.Sent));
        app.MapRead("/cables/drafts", (HttpContext c) => Drafts(c, office, null));
        app.MapRead("/cables/compose", (HttpContext c) => Compose(c, null, null, StatusCodes.Status200OK));
        app.MapPost("/cables/compose", (Delegate)((HttpContext c) => CreateDraft(c, office)));
        app.MapPost("/cables/drafts/{id}/{step}", (HttpContext c, string id, string step) => Step(c, office, id, step));
        app.MapRead("/cables/{prefix}/{serial}", (HttpContext c, string prefix, string serial) => Read(c, office, prefix, serial));
    }

    /// <summary>The office's delivery thread: started on first use, woken after a send so delivery starts at once.</summary>
    internal sealed class CableWake
    {
        private readonly Lock _gate = new();
        private CableDeliverer? _deliverer;
        private bool _stopped;

        public Func<CableDeliverer>? Start { get; set; }

        /// <summary>The running deliverer, started if needed (null once the host is stopping).</summary>
        public CableDeliverer? Ensure()
        {
            lock (_gate)
            {
                if (_deliverer is null && !_stopped && Start is not null)
                {
                    _deliverer = Start();
                }
                return _deliverer;
            }
        }

        public void Wake() => Ensure()?.Wake();

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
                _deliverer?.Dispose();
                _deliverer = null;
            }
        }
    }

    private static HttpContext Started(HttpContext c)
    {
        c.RequestServices.GetRequiredService<CableWake>().Ensure();
        return c;
    }

    public static string Href(CableNumber n) => $"/cables/{Uri.EscapeDataString(n.Prefix)}/{n.Serial.ToString(CultureInfo.InvariantCulture)}";

    private static IResult SignInFirst(HttpContext context) =>
        Layout.Page(context, "Cable office", h =>
        {
            h.Element("h1", "Cable office");
            h.Open("p").Text("The cable office is for named users. ").Link("/signin?returnUrl=" + Uri.EscapeDataString(context.Request.Path.Value ?? "/cables"), "Sign in").Text(" to read your telegrams and drafts.").Close("p");
        }, StatusCodes.Status401Unauthorized);

    private static void Tabs(HtmlBuilder h, string current)
    {
        h.Open("nav", ("class", "cable-tabs"), ("aria-label", "Cable office"));
        foreach (var (href, label) in new[] { ("/cables", "Inbox"), ("/cables/sent", "Sent"), ("/cables/drafts", "Drafts"), ("/cables/compose", "Compose") })
        {
            h.Link(href, label, ("aria-current", href == current ? "page" : null));
            h.Text(" ");
        }
        h.Close("nav");
    }

    private static IResult Box(HttpContext context, ICableOffice office, CableBox box)
    {
        var reader = context.Reader();
        if (reader.IsPublic)
        {
            return SignInFirst(context);
        }
        var entries = office.Inbox(reader.Reader, box, 200);
        var title = box == CableBox.Sent ? "Sent telegrams" : "Inbox";
        return Layout.Page(context, title, h =>
        {
            h.Element("h1", title);
            Tabs(h, box == CableBox.Sent ? "/cables/sent" : "/cables");
            if (entries.Count == 0)
            {
                h.Element("p", "No telegrams.");
                return;
            }
            h.Open("table", ("class", "cables"));
            h.Open("thead").Open("tr");
            foreach (var head in new[] { "Number", "Precedence", "Classification", "From", "Subject", "Sent", "Received" })
            {
                h.Element("th", head, ("scope", "col"));
            }
            h.Close("tr").Close("thead").Open("tbody");
            foreach (var e in entries)
            {
                h.Open("tr", ("class", "precedence-" + e.Precedence.ToString().ToLowerInvariant()));
                h.Open("td").Link(Href(e.Number), e.Number.ToString()).Close("td");
                h.Element("td", Precedences.Printed(e.Precedence));
                h.Element("td", Marking(e.Classification, e.Captions));
                h.Element("td", e.From);
                h.Element("td", e.Subject);
                h.Element("td", Time(e.Sent));
                h.Element("td", e.Received is { } r ? Time(r) : "—");
                h.Close("tr");
            }
            h.Close("tbody").Close("table");
        });
    }

    /// <summary>A telegram number from the two path segments, or null when they cannot be one.</summary>
    internal static CableNumber? Number(string prefix, string serial) =>
        long.TryParse(serial, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && CableNumber.TryParse(prefix + " " + serial, out var number) && number.Serial == n
            ? number : null;

    private static IResult Read(HttpContext context, ICableOffice office, string prefix, string serial)
    {
        var reader = context.Reader();
        var number = Number(prefix, serial) ?? new CableNumber(prefix, 0);
        var view = reader.IsPublic || number.Serial == 0 ? null : office.Read(number, reader.Reader, "web");
        if (view is null)
        {
            // the same page for a missing telegram and one this reader may not see
            return Layout.Page(context, "Not found", h =>
            {
                h.Element("h1", "Not found");
                h.Element("p", $"There is no telegram {prefix} {serial} that you may read.");
                h.Open("p").Link("/cables", "Go to your inbox").Close("p");
            }, StatusCodes.Status404NotFound);
        }
        var t = view.Telegram;
        var thread = office.Thread(number, reader.Reader);
        return Layout.Page(context, $"{t.Number}: {t.Subject}", h =>
        {
            Tabs(h, "");
            h.Open("article", ("class", "telegram"));
            h.Open("p", ("class", "telegram-heading"));
            h.Element("strong", t.Number.ToString()).Text("  ").Element("span", Marking(t.Classification, t.Captions), ("class", "marking"))
                .Text("  ").Element("span", Precedences.Printed(t.Precedence), ("class", "precedence"));
            h.Close("p");
            h.Element("h1", t.Subject);
            h.Open("dl", ("class", "telegram-meta"));
            Field(h, "From", $"{t.FromName}, {t.Place}");
            Field(h, "Date-time group", t.DateTimeGroup);
            Field(h, "To", t.ActionLine);
            var infos = t.Recipients.Where(r => !r.Action).Select(r => r.Display).Distinct().ToList();
            if (infos.Count > 0)
            {
                Field(h, "Info", string.Join(", ", infos));
            }
            if (t.FileNumber is not null)
            {
                Field(h, "File", t.FileNumber);
            }
            if (t.TagsLine() is { } tags)
            {
                Field(h, "TAGS", tags);
            }
            h.Close("dl");
            foreach (var caption in t.PrintedCaptions)
            {
                h.Element("p", caption, ("class", "caption"));
            }
            if (t.References.Count > 0)
            {
                h.Open("p", ("class", "references")).Text("REF: ");
                for (var i = 0; i < t.References.Count; i++)
                {
                    h.Text(i == 0 ? "" : "; ").Link(Href(t.References[i]), t.References[i].ToString());
                }
                h.Close("p");
            }
            foreach (var paragraph in t.Body)
            {
                h.Element("p", paragraph);
            }
            if (t.Signature is not null)
            {
                h.Element("p", t.Signature, ("class", "signature"));
            }
            h.Element("p", t.Route.SentBy, ("class", "channel"));
            foreach (var receipt in view.Receipts)
            {
                h.Element("p", $"{(receipt.Note.Length > 0 ? receipt.Note : "[Received]")} at {receipt.Post}, {Time(receipt.Received)}", ("class", "receipt"));
            }
            h.Close("article");
            if (thread.Count > 1)
            {
                h.Element("h2", "Thread");
                h.Open("ol", ("class", "thread"));
                foreach (var e in thread)
                {
                    h.Open("li");
                    h.Text(Time(e.Sent) + " ");
                    if (e.Number == number)
                    {
                        h.Element("strong", e.Number.ToString());
                    }
                    else
                    {
                        h.Link(Href(e.Number), e.Number.ToString());
                    }
                    h.Text($" {e.From}: {e.Subject}");
                    h.Close("li");
                }
                h.Close("ol");
            }
            ReplyForm(context, h, t.Number);
        });
    }

    private static string? TagsLine(this Telegram t) => t.Tags.Count == 0 ? null : string.Join(", ", t.Tags);

    private static void Field(HtmlBuilder h, string name, string value) => h.Element("dt", name).Element("dd", value);

    private static void ReplyForm(HttpContext context, HtmlBuilder h, CableNumber number)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        h.Open("form", ("method", "post"), ("action", "/cables/compose"), ("class", "inline-form"));
        h.Void("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
        h.Void("input", ("type", "hidden"), ("name", "replyTo"), ("value", number.ToString()));
        h.Element("button", "Reply", ("type", "submit"));
        h.Close("form");
    }

    private static IResult Drafts(HttpContext context, ICableOffice office, string? message)
    {
        var reader = context.Reader();
        if (reader.IsPublic)
        {
            return SignInFirst(context);
        }
        var drafts = office.ListDrafts(reader.Reader);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return Layout.Page(context, "Drafts", h =>
        {
            h.Element("h1", "Drafts");
            Tabs(h, "/cables/drafts");
            if (message is not null)
            {
                h.Element("p", message, ("class", "form-error"), ("role", "alert"));
            }
            if (drafts.Count == 0)
            {
                h.Element("p", "No drafts.");
                return;
            }
            foreach (var d in drafts)
            {
                h.Open("section", ("class", "draft"), ("id", "draft-" + d.Id.ToString(CultureInfo.InvariantCulture)));
                h.Element("h2", $"Draft {d.Id}: {d.Content.Subject}");
                h.Element("p", $"{d.Content.FromPost} · {Precedences.Printed(d.Content.Precedence)} · {Marking(d.Content.Classification, d.Content.Captions)} · {Status(d)}");
                foreach (var paragraph in d.Content.Body)
                {
                    h.Element("p", paragraph, ("class", "draft-body"));
                }
                if (d.Status != DraftStatus.Sent)
                {
                    foreach (var clearance in d.Clearances.Where(c => c.ClearedBy is null))
                    {
                        StepForm(h, tokens, d.Id, "clear", $"Clear for {clearance.Office}", ("office", clearance.Office));
                    }
                    if (d.Status == DraftStatus.Draft && d.FullyCleared)
                    {
                        StepForm(h, tokens, d.Id, "release", "Release");
                    }
                    if (d.Status == DraftStatus.Released)
                    {
                        StepForm(h, tokens, d.Id, "send", "Send");
                    }
                }
                h.Close("section");
            }
        });
    }

    private static void StepForm(HtmlBuilder h, AntiforgeryTokenSet tokens, long id, string step, string label, (string Name, string Value)? field = null)
    {
        h.Open("form", ("method", "post"), ("action", $"/cables/drafts/{id.ToString(CultureInfo.InvariantCulture)}/{step}"), ("class", "inline-form"));
        h.Void("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
        if (field is { } f)
        {
            h.Void("input", ("type", "hidden"), ("name", f.Name), ("value", f.Value));
        }
        h.Element("button", label, ("type", "submit"));
        h.Close("form");
    }

    private static async Task<IResult> Step(HttpContext context, ICableOffice office, string draft, string step)
    {
        var reader = context.Reader();
        if (reader.IsPublic)
        {
            return SignInFirst(context);
        }
        if (!long.TryParse(draft, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Drafts(context, office, $"'{draft}' is not a draft number.");
        }
        var form = await ValidForm(context);
        if (form is null)
        {
            return Drafts(context, office, "The form has expired or did not come from this site. Reload the page and retry.");
        }
        try
        {
            switch (step)
            {
                case "clear":
                    office.Clear(id, form["office"].ToString().Trim().ToUpperInvariant(), reader.Reader, form["comment"].ToString() is { Length: > 0 } c ? c : null);
                    break;
                case "release":
                    office.Release(id, reader.Reader);
                    break;
                case "send":
                    var telegram = office.Send(id, reader.Reader);
                    context.RequestServices.GetRequiredService<CableWake>().Wake();
                    return Results.Redirect(Href(telegram.Number));
                default:
                    return Drafts(context, office, $"'{step}' is not a step of a draft (clear, release, send).");
            }
        }
        catch (ArchiveException e)
        {
            return Drafts(context, office, e.Message);
        }
        return Results.Redirect("/cables/drafts#draft-" + id.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<IFormCollection?> ValidForm(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context) ? form : null;
    }

    private static IResult Compose(HttpContext context, IFormCollection? values, string? error, int status)
    {
        if (context.Reader().IsPublic)
        {
            return SignInFirst(context);
        }
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        string V(string name) => values?[name].ToString() ?? "";
        return Layout.Page(context, "Compose a telegram", h =>
        {
            h.Element("h1", "Compose a telegram");
            Tabs(h, "/cables/compose");
            if (error is not null)
            {
                h.Element("p", error, ("class", "form-error"), ("role", "alert"), ("id", "compose-error"));
            }
            h.Open("form", ("method", "post"), ("action", "/cables/compose"), ("class", "compose-form"));
            h.Void("input", ("type", "hidden"), ("name", tokens.FormFieldName), ("value", tokens.RequestToken));
            Input(h, "from", "From post (id)", V("from"), required: true);
            Input(h, "action", "Action addressees (post:ID, user:NAME, list:NAME; comma-separated)", V("action"), required: true);
            Input(h, "info", "Info addressees", V("info"));
            Select(h, "classification", "Classification", ["unclassified", "restricted", "confidential", "secret", "top-secret"], V("classification"));
            Input(h, "captions", "Captions (NODIS, EXDIS, LIMDIS, EYES-ONLY, PERSONAL-FOR, NOFORN)", V("captions"));
            Input(h, "personalFor", "Personal for (user names)", V("personalFor"));
            Select(h, "precedence", "Precedence", ["ROUTINE", "PRIORITY", "IMMEDIATE", "NIACT IMMEDIATE", "FLASH"], V("precedence"));
            Input(h, "subject", "Subject", V("subject"), required: true);
            Input(h, "fileCode", "Decimal subject code (e.g. 761.93)", V("fileCode"));
            Input(h, "refs", "References (e.g. MOSCOW 120015; semicolon-separated)", V("refs"));
            Input(h, "clearances", "Offices that must clear (POL, EUR)", V("clearances"));
            Select(h, "channel", "Channel", ["", "State", "Navy", "Army"], V("channel"));
            Input(h, "signature", "Signature", V("signature"));
            h.Open("div", ("class", "field"));
            h.Element("label", "Text (paragraphs separated by a blank line)", ("for", "body"));
            h.Open("textarea", ("id", "body"), ("name", "body"), ("rows", "12"), ("required", "")).Text(V("body")).Close("textarea");
            h.Close("div");
            h.Element("button", "Save draft", ("type", "submit"));
            h.Close("form");
        }, status);
    }

    private static void Input(HtmlBuilder h, string name, string label, string value, bool required = false)
    {
        h.Open("div", ("class", "field"));
        h.Element("label", label, ("for", name));
        h.Void("input", ("id", name), ("name", name), ("type", "text"), ("value", value), ("maxlength", "500"), ("required", required ? "" : null));
        h.Close("div");
    }

    private static void Select(HtmlBuilder h, string name, string label, string[] options, string value)
    {
        h.Open("div", ("class", "field"));
        h.Element("label", label, ("for", name));
        h.Open("select", ("id", name), ("name", name));
        foreach (var o in options)
        {
            h.Element("option", o.Length == 0 ? "(the post's default)" : o, ("value", o), ("selected", string.Equals(o, value, StringComparison.OrdinalIgnoreCase) ? "" : null));
        }
        h.Close("select");
        h.Close("div");
    }

    private static async Task<IResult> CreateDraft(HttpContext context, ICableOffice office)
    {
        var reader = context.Reader();
        if (reader.IsPublic)
        {
            return SignInFirst(context);
        }
        var form = await ValidForm(context);
        if (form is null)
        {
            return Compose(context, null, "The form has expired or did not come from this site. Reload the page and retry.", StatusCodes.Status400BadRequest);
        }
        try
        {
            if (CableNumber.TryParse(form["replyTo"].ToString(), out var original))
            {
                var reply = office.Reply(original, reader.Reader);
                return Results.Redirect("/cables/drafts#draft-" + reply.Id.ToString(CultureInfo.InvariantCulture));
            }
            var draft = office.CreateDraft(CableForms.Content(form), reader.Reader);
            return Results.Redirect("/cables/drafts#draft-" + draft.Id.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is ArchiveException or FormatException)
        {
            return Compose(context, form, e.Message, StatusCodes.Status400BadRequest);
        }
    }

    private static string Status(CableDraft d) => CableText.Status(d);

    private static string Marking(ClassificationLevel level, IReadOnlyList<string> captions) => CableText.Marking(level, captions);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A draft's content from the compose form's fields (shared by the page and the API's form posts).</summary>
internal static class CableForms
{
    public static DraftContent Content(IFormCollection form)
    {
        string V(string name) => form[name].ToString().Trim();
        IReadOnlyList<string> L(string name, char separator = ',') => V(name).Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new DraftContent
        {
            FromPost = V("from"),
            Action = L("action").Select(a => Addressee.TryParse(a, out var x) ? x : throw new FormatException($"'{a}' is not an addressee (post:ID, user:NAME or list:NAME)")).ToList(),
            Info = L("info").Select(a => Addressee.TryParse(a, out var x) ? x : throw new FormatException($"'{a}' is not an addressee (post:ID, user:NAME or list:NAME)")).ToList(),
            Classification = Markings.ParseLevel(V("classification")) ?? ClassificationLevel.Unclassified,
            Captions = L("captions").Select(c => c.ToUpperInvariant().Replace(' ', '-')).ToList(),
            PersonalFor = L("personalFor"),
            Precedence = V("precedence").Length == 0 ? Precedence.Routine : Precedences.Parse(V("precedence")) ?? throw new FormatException($"'{V("precedence")}' is not a precedence"),
            Subject = V("subject"),
            SubjectCode = V("fileCode") is { Length: > 0 } code ? code : null,
            References = L("refs", ';').Select(r => CableNumber.TryParse(r, out var n) ? n : throw new FormatException($"'{r}' is not a telegram number (e.g. MOSCOW 120015)")).ToList(),
            RequiredClearances = L("clearances").Select(c => c.ToUpperInvariant()).ToList(),
            Channel = V("channel").Length == 0 ? null : ChannelRoute.ParseChannel(V("channel")) ?? throw new FormatException($"'{V("channel")}' is not a channel (State, Navy, Army)"),
            Signature = V("signature") is { Length: > 0 } s ? s : null,
            Body = CableText.Paragraphs(V("body")),
        };
    }
}
