using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Chancery.Archive;
using Chancery.Core.Access;
using Chancery.Core.Documents;
using Chancery.Web.Hosting;
using Chancery.Web.Html;
using Chancery.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace Chancery.Web.Oai;

/// <summary>
/// OAI-PMH 2.0 at <c>/oai</c>: Identify, ListMetadataFormats, ListSets (one set per volume), ListIdentifiers and
/// ListRecords with resumption tokens, GetRecord; metadata in <c>oai_dc</c>. Harvesters read as the public,
/// always: only released documents, with withheld passages as their markers.
/// </summary>
internal static partial class OaiPmh
{
    public const string Surface = "oai";
    public const string OaiNamespace = "http://www.openarchives.org/OAI/2.0/";
    public const string OaiDcNamespace = "http://www.openarchives.org/OAI/2.0/oai_dc/";
    public const string DcNamespace = "http://purl.org/dc/elements/1.1/";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const string MetadataPrefix = "oai_dc";

    /// <summary>When no volume says when it was published, records are stamped with this day.</summary>
    public const string FallbackDatestamp = "1970-01-01";

    private static readonly ReaderIdentity Harvester = ReaderIdentity.Public;

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Verbs = new(StringComparer.Ordinal)
    {
        ["Identify"] = ([], []),
        ["ListMetadataFormats"] = ([], ["identifier"]),
        ["ListSets"] = ([], ["resumptionToken"]),
        ["GetRecord"] = (["identifier", "metadataPrefix"], []),
        ["ListIdentifiers"] = (["metadataPrefix"], ["from", "until", "set", "resumptionToken"]),
        ["ListRecords"] = (["metadataPrefix"], ["from", "until", "set", "resumptionToken"]),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", RegexOptions.CultureInvariant)]
    private static partial Regex SecondsPattern();

    public static void Map(WebApplication app)
    {
        app.MapGet("/oai", Handle);
        app.MapPost("/oai", Handle);
    }

    /// <summary>An OAI-PMH error: code and message. The request element is echoed bare for badVerb and badArgument.</summary>
    private sealed record OaiError(string Code, string Message);

    private sealed class OaiException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }

    private sealed record Request(string? Verb, Dictionary<string, string> Arguments, string BaseUrl);

    private static async Task<IResult> Handle(HttpContext context, IArchive archive, WebSettings settings)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in context.Request.Query)
        {
            pairs.AddRange(v.Select(x => new KeyValuePair<string, string>(k, x ?? "")));
        }
        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (!context.Request.HasFormContentType)
            {
                return Xml(Respond(new Request(null, [], BaseUrl(context)), settings, archive, _ => { }, new OaiError("badArgument", "POST requests must be application/x-www-form-urlencoded.")));
            }
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (k, v) in form)
            {
                pairs.AddRange(v.Select(x => new KeyValuePair<string, string>(k, x ?? "")));
            }
        }
        return Xml(Answer(pairs, BaseUrl(context), archive, settings));
    }

    private static string BaseUrl(HttpContext context) => DocumentPage.AbsoluteUrl(context.Request, "/oai");

    private static IResult Xml(string xml) => Results.Text(xml, "text/xml; charset=utf-8", Encoding.UTF8);

    /// <summary>Answers one OAI-PMH request given as name/value pairs.</summary>
    internal static string Answer(IReadOnlyList<KeyValuePair<string, string>> pairs, string baseUrl, IArchive archive, WebSettings settings)
    {
        var bare = new Request(null, [], baseUrl);
        var verbs = pairs.Where(p => p.Key == "verb").Select(p => p.Value).ToList();
        if (verbs.Count == 0)
        {
            return Respond(bare, settings, archive, _ => { }, new OaiError("badVerb", "The request has no verb argument."));
        }
        if (verbs.Count > 1)
        {
            return Respond(bare, settings, archive, _ => { }, new OaiError("badVerb", "The verb argument is repeated."));
        }
        if (!Verbs.TryGetValue(verbs[0], out var rule))
        {
            return Respond(bare, settings, archive, _ => { }, new OaiError("badVerb", $"'{verbs[0]}' is not an OAI-PMH verb."));
        }
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs.Where(p => p.Key != "verb"))
        {
            if (!rule.Required.Contains(k) && !rule.Optional.Contains(k))
            {
                return Respond(bare, settings, archive, _ => { }, new OaiError("badArgument", $"{verbs[0]} does not take the argument '{k}'."));
            }
            if (!args.TryAdd(k, v))
            {
                return Respond(bare, settings, archive, _ => { }, new OaiError("badArgument", $"The argument '{k}' is repeated."));
            }
        }
        var hasToken = args.ContainsKey("resumptionToken");
        if (hasToken && args.Count > 1)
        {
            return Respond(bare, settings, archive, _ => { }, new OaiError("badArgument", "resumptionToken is an exclusive argument: send it alone with the verb."));
        }
        if (!hasToken)
        {
            var missing = rule.Required.FirstOrDefault(r => !args.ContainsKey(r));
            if (missing is not null)
            {
                return Respond(bare, settings, archive, _ => { }, new OaiError("badArgument", $"{verbs[0]} needs the argument '{missing}'."));
            }
        }
        foreach (var name in new[] { "from", "until" })
        {
            if (args.TryGetValue(name, out var value) && !IsDay(value))
            {
                var why = SecondsPattern().IsMatch(value)
                    ? $"'{value}' is finer than this repository's granularity (YYYY-MM-DD)."
                    : $"'{value}' is not a date in the form YYYY-MM-DD.";
                return Respond(bare, settings, archive, _ => { }, new OaiError("badArgument", $"The {name} argument: {why}"));
            }
        }

        var request = new Request(verbs[0], args, baseUrl);
        try
        {
            return verbs[0] switch
            {
                "Identify" => Respond(request, settings, archive, w => Identify(w, request, archive, settings)),
                "ListMetadataFormats" => ListMetadataFormats(request, archive, settings),
                "ListSets" => ListSets(request, archive, settings),
                "GetRecord" => GetRecord(request, archive, settings),
                _ => List(request, archive, settings, withRecords: verbs[0] == "ListRecords"),
            };
        }
        catch (OaiException e)
        {
            return Respond(request, settings, archive, _ => { }, new OaiError(e.Code, e.Message));
        }
    }

    private static bool IsDay(string s) =>
        DayPattern().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Writes the response envelope around <paramref name="body"/>, or around an error.</summary>
    private static string Respond(Request request, WebSettings settings, IArchive archive, Action<XmlWriter> body, OaiError? error = null)
    {
        var sb = new StringBuilder();
        var ws = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };
        using (var w = XmlWriter.Create(sb, ws))
        {
            w.WriteStartElement("OAI-PMH", OaiNamespace);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
            w.WriteAttributeString("schemaLocation", XsiNamespace, OaiNamespace + " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd");
            w.WriteElementString("responseDate", OaiNamespace, DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteStartElement("request", OaiNamespace);
            // badVerb and badArgument echo the base URL only: the arguments were not valid to echo
            if (request.Verb is not null && error?.Code is not ("badVerb" or "badArgument"))
            {
                w.WriteAttributeString("verb", request.Verb);
                foreach (var (k, v) in request.Arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    w.WriteAttributeString(k, v);
                }
            }
            w.WriteString(request.BaseUrl);
            w.WriteEndElement();
            if (error is not null)
            {
                w.WriteStartElement("error", OaiNamespace);
                w.WriteAttributeString("code", error.Code);
                w.WriteString(error.Message);
                w.WriteEndElement();
            }
            else
            {
                w.WriteStartElement(request.Verb!, OaiNamespace);
                body(w);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + sb;
    }

    private static void Identify(XmlWriter w, Request request, IArchive archive, WebSettings settings)
    {
        w.WriteElementString("repositoryName", OaiNamespace, settings.RepositoryName);
        w.WriteElementString("baseURL", OaiNamespace, request.BaseUrl);
        w.WriteElementString("protocolVersion", OaiNamespace, "2.0");
        w.WriteElementString("adminEmail", OaiNamespace, settings.AdminEmail);
        var stamps = archive.ListVolumes(Harvester).Where(v => v.DocumentCount > 0)
            .Select(v => archive.GetVolume(v.Id, Harvester)).Where(v => v is not null).Select(v => Datestamp(v!)).ToList();
        w.WriteElementString("earliestDatestamp", OaiNamespace, stamps.Count == 0 ? FallbackDatestamp : stamps.Min(StringComparer.Ordinal)!);
        w.WriteElementString("deletedRecord", OaiNamespace, "no");
        w.WriteElementString("granularity", OaiNamespace, "YYYY-MM-DD");
    }

    private static string ListMetadataFormats(Request request, IArchive archive, WebSettings settings)
    {
        if (request.Arguments.TryGetValue("identifier", out var identifier))
        {
            _ = FindDocument(identifier, archive, settings) ?? throw new OaiException("idDoesNotExist", $"There is no record {identifier}.");
        }
        return Respond(request, settings, archive, w =>
        {
            w.WriteStartElement("metadataFormat", OaiNamespace);
            w.WriteElementString("metadataPrefix", OaiNamespace, MetadataPrefix);
            w.WriteElementString("schema", OaiNamespace, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
            w.WriteElementString("metadataNamespace", OaiNamespace, OaiDcNamespace);
            w.WriteEndElement();
        });
    }

    private static string ListSets(Request request, IArchive archive, WebSettings settings)
    {
        if (request.Arguments.TryGetValue("resumptionToken", out var token))
        {
            throw new OaiException("badResumptionToken", $"The resumption token '{token}' is not one this repository issued (set lists are never split).");
        }
        var volumes = archive.ListVolumes(Harvester).Where(v => v.DocumentCount > 0).OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
        if (volumes.Count == 0)
        {
            throw new OaiException("noSetHierarchy", "The repository holds no volumes yet, so it has no sets.");
        }
        return Respond(request, settings, archive, w =>
        {
            foreach (var v in volumes)
            {
                w.WriteStartElement("set", OaiNamespace);
                w.WriteElementString("setSpec", OaiNamespace, v.Id);
                w.WriteElementString("setName", OaiNamespace, v.Title);
                w.WriteEndElement();
            }
        });
    }

    private static string GetRecord(Request request, IArchive archive, WebSettings settings)
    {
        var identifier = request.Arguments["identifier"];
        var view = FindDocument(identifier, archive, settings) ?? throw new OaiException("idDoesNotExist", $"There is no record {identifier}.");
        if (request.Arguments["metadataPrefix"] != MetadataPrefix)
        {
            throw new OaiException("cannotDisseminateFormat", $"Records are available as {MetadataPrefix} only.");
        }
        var volume = archive.GetVolume(view.Document.Volume, Harvester);
        return Respond(request, settings, archive, w => Record(w, view.Document, volume, request.BaseUrl, settings));
    }

    /// <summary>The document an identifier <c>oai:REPO:volume/doc</c> names, if the public may read it.</summary>
    private static DocumentView? FindDocument(string identifier, IArchive archive, WebSettings settings)
    {
        var prefix = "oai:" + settings.OaiRepositoryIdentifier + ":";
        if (!identifier.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = identifier[prefix.Length..];
        return DocumentIds.TrySplit(rest, out var v, out var local) && !rest.Contains('#')
            ? archive.GetDocument(DocumentIds.Make(v, local), Harvester, Surface)
            : null;
    }

    public static string Identifier(WebSettings settings, string volume, string local) =>
        "oai:" + settings.OaiRepositoryIdentifier + ":" + volume + "/" + local;

    /// <summary>
    /// A record's datestamp, per volume: the publication date it states (YYYY, YYYY-MM or YYYY-MM-DD), or
    /// <see cref="FallbackDatestamp"/>. The archive keeps no per-record change time for harvesters yet.
    /// </summary>
    public static string Datestamp(Volume volume)
    {
        var p = volume.PublicationDate?.Trim() ?? "";
        if (p.Length >= 10 && IsDay(p[..10]))
        {
            return p[..10];
        }
        if (p.Length >= 7 && IsDay(p[..7] + "-01"))
        {
            return p[..7] + "-01";
        }
        if (p.Length >= 4 && p[..4].All(char.IsAsciiDigit) && p[..4] != "0000")
        {
            return p[..4] + "-01-01";
        }
        return FallbackDatestamp;
    }

    /// <summary>Where a list stands: the filters it was asked with and the next document to send.</summary>
    private sealed record ListState(string Prefix, string? Set, string? From, string? Until, string VolumeId, int Index, int Cursor, int Total)
    {
        public string Encode()
        {
            var raw = string.Join('|', "1", Prefix, Set ?? "", From ?? "", Until ?? "", VolumeId,
                Index.ToString(CultureInfo.InvariantCulture), Cursor.ToString(CultureInfo.InvariantCulture), Total.ToString(CultureInfo.InvariantCulture));
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        public static ListState? Decode(string token)
        {
            if (token.Length is 0 or > 1000)
            {
                return null;
            }
            try
            {
                var b64 = token.Replace('-', '+').Replace('_', '/');
                b64 += new string('=', (4 - b64.Length % 4) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
                if (parts.Length != 9 || parts[0] != "1"
                    || !int.TryParse(parts[6], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || !int.TryParse(parts[7], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)
                    || !int.TryParse(parts[8], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                    || parts[5].Length == 0)
                {
                    return null;
                }
                static string? Opt(string s) => s.Length == 0 ? null : s;
                var from = Opt(parts[3]);
                var until = Opt(parts[4]);
                if ((from is not null && !IsDay(from)) || (until is not null && !IsDay(until)))
                {
                    return null;
                }
                return new ListState(parts[1], Opt(parts[2]), from, until, parts[5], index, cursor, total);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private static string List(Request request, IArchive archive, WebSettings settings, bool withRecords)
    {
        ListState start;
        bool resumed;
        List<(VolumeSummary Summary, Volume? Volume)> volumes;
        if (request.Arguments.TryGetValue("resumptionToken", out var token))
        {
            start = ListState.Decode(token) ?? throw new OaiException("badResumptionToken", "The resumption token is not one this repository issued.");
            volumes = SelectVolumes(archive, start.Set, start.From, start.Until);
            if (start.Prefix != MetadataPrefix || !volumes.Any(v => v.Summary.Id == start.VolumeId))
            {
                throw new OaiException("badResumptionToken", "The resumption token no longer matches the repository; start the list again.");
            }
            resumed = true;
        }
        else
        {
            var prefix = request.Arguments["metadataPrefix"];
            if (prefix != MetadataPrefix)
            {
                throw new OaiException("cannotDisseminateFormat", $"Records are available as {MetadataPrefix} only.");
            }
            request.Arguments.TryGetValue("set", out var set);
            request.Arguments.TryGetValue("from", out var from);
            request.Arguments.TryGetValue("until", out var until);
            volumes = SelectVolumes(archive, set, from, until);
            if (volumes.Count == 0)
            {
                throw new OaiException("noRecordsMatch", "No record matches these arguments.");
            }
            start = new ListState(prefix, set, from, until, volumes[0].Summary.Id, 0, 0, volumes.Sum(v => v.Summary.DocumentCount));
            resumed = false;
        }

        var page = new List<(Document? Document, string Volume, string Local, Volume Meta)>();
        ListState? next = null;
        var started = false;
        foreach (var (summary, loaded) in volumes)
        {
            if (!started && summary.Id != start.VolumeId)
            {
                continue;
            }
            var volume = loaded ?? archive.GetVolume(summary.Id, Harvester);
            if (volume is null)
            {
                continue;
            }
            var entries = volume.Contents.Where(e => e.DocumentId is not null).ToList();
            var i = started ? 0 : start.Index;
            started = true;
            for (; i < entries.Count; i++)
            {
                if (page.Count == settings.OaiPageSize)
                {
                    next = start with { VolumeId = summary.Id, Index = i, Cursor = start.Cursor + page.Count };
                    break;
                }
                if (!DocumentIds.TrySplit(entries[i].DocumentId!, out var v, out var local))
                {
                    continue;
                }
                if (withRecords)
                {
                    var view = archive.GetDocument(entries[i].DocumentId!, Harvester, Surface);
                    if (view is not null)
                    {
                        page.Add((view.Document, v, local, volume));
                    }
                }
                else
                {
                    page.Add((null, v, local, volume));
                }
            }
            if (next is not null)
            {
                break;
            }
        }
        if (page.Count == 0)
        {
            if (resumed)
            {
                throw new OaiException("badResumptionToken", "The resumption token no longer matches the repository; start the list again.");
            }
            throw new OaiException("noRecordsMatch", "No record matches these arguments.");
        }

        return Respond(request, settings, archive, w =>
        {
            foreach (var (document, volumeId, local, meta) in page)
            {
                if (document is null)
                {
                    Header(w, settings, volumeId, local, meta);
                }
                else
                {
                    Record(w, document, meta, request.BaseUrl, settings);
                }
            }
            if (next is not null || resumed)
            {
                w.WriteStartElement("resumptionToken", OaiNamespace);
                var total = Math.Max(start.Total, start.Cursor + page.Count);
                if (total > 0)
                {
                    w.WriteAttributeString("completeListSize", total.ToString(CultureInfo.InvariantCulture));
                }
                w.WriteAttributeString("cursor", start.Cursor.ToString(CultureInfo.InvariantCulture));
                if (next is not null)
                {
                    w.WriteString(next.Encode());
                }
                w.WriteEndElement();
            }
        });
    }

    /// <summary>The volumes a list covers, in id order: one set, or all, narrowed by datestamp when from/until are given.</summary>
    private static List<(VolumeSummary Summary, Volume? Volume)> SelectVolumes(IArchive archive, string? set, string? from, string? until)
    {
        var list = new List<(VolumeSummary, Volume?)>();
        foreach (var s in archive.ListVolumes(Harvester).Where(v => v.DocumentCount > 0 && (set is null || v.Id == set)).OrderBy(v => v.Id, StringComparer.Ordinal))
        {
            if (from is null && until is null)
            {
                list.Add((s, null));
                continue;
            }
            var volume = archive.GetVolume(s.Id, Harvester);
            if (volume is null)
            {
                continue;
            }
            var stamp = Datestamp(volume);
            if ((from is null || string.CompareOrdinal(stamp, from) >= 0) && (until is null || string.CompareOrdinal(stamp, until) <= 0))
            {
                list.Add((s, volume));
            }
        }
        return list;
    }

    private static void Header(XmlWriter w, WebSettings settings, string volumeId, string local, Volume volume)
    {
        w.WriteStartElement("header", OaiNamespace);
        w.WriteElementString("identifier", OaiNamespace, Identifier(settings, volumeId, local));
        w.WriteElementString("datestamp", OaiNamespace, Datestamp(volume));
        w.WriteElementString("setSpec", OaiNamespace, volumeId);
        w.WriteEndElement();
    }

    private static void Record(XmlWriter w, Document d, Volume? volume, string baseUrl, WebSettings settings)
    {
        w.WriteStartElement("record", OaiNamespace);
        if (volume is null)
        {
            w.WriteStartElement("header", OaiNamespace);
            w.WriteElementString("identifier", OaiNamespace, Identifier(settings, d.Volume, d.LocalId));
            w.WriteElementString("datestamp", OaiNamespace, FallbackDatestamp);
            w.WriteElementString("setSpec", OaiNamespace, d.Volume);
            w.WriteEndElement();
        }
        else
        {
            Header(w, settings, d.Volume, d.LocalId, volume);
        }
        w.WriteStartElement("metadata", OaiNamespace);
        DublinCore(w, d, volume, baseUrl[..^"/oai".Length]);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>The document in simple Dublin Core: title, creator (sender), date, place, type, identifiers, source.</summary>
    private static void DublinCore(XmlWriter w, Document d, Volume? volume, string siteUrl)
    {
        w.WriteStartElement("oai_dc", "dc", OaiDcNamespace);
        w.WriteAttributeString("xmlns", "dc", null, DcNamespace);
        w.WriteAttributeString("schemaLocation", XsiNamespace, OaiDcNamespace + " http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
        void Dc(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                w.WriteElementString("dc", name, DcNamespace, value);
            }
        }
        Dc("title", d.Title);
        Dc("creator", d.From);
        if (d.To is not null)
        {
            Dc("description", "To " + d.To);
        }
        if (d.FileNumbers.Count > 0)
        {
            Dc("description", "File " + string.Join("; ", d.FileNumbers));
        }
        Dc("description", d.SourceNote);
        Dc("date", d.Date?.From);
        Dc("coverage", d.Place);
        Dc("type", "Text");
        Dc("type", d.Type);
        Dc("format", "text/html");
        Dc("identifier", siteUrl + DocumentRenderer.DocumentUrl(d.Volume, d.LocalId));
        Dc("identifier", d.Id);
        var source = volume?.Title ?? d.Volume;
        Dc("source", d.Number is null ? source : source + ", document " + d.Number);
        Dc("relation", siteUrl + DocumentRenderer.VolumeUrl(d.Volume));
        Dc("language", "en");
        w.WriteEndElement();
    }
}
