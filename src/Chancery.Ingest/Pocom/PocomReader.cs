using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Chancery.Core.People;

namespace Chancery.Ingest.Pocom;

/// <summary>
/// Reads the Office of the Historian's "Principal Officers and Chiefs of Mission" data (the <c>pocom</c> repository:
/// <c>people/</c>, <c>missions-countries/</c>, <c>missions-orgs/</c>, <c>positions-principals/</c>,
/// <c>roles-country-chiefs/</c>) into officials with their posts. Nominees never confirmed (<c>other-nominees</c>,
/// <c>other-appointees</c>) are left out: they never held the post.
/// </summary>
public static class PocomReader
{
    // Each file is a few kilobytes; a file this large is not POCOM data.
    private const long MaxFileBytes = 8 << 20;

    /// <summary>Reads every official in <paramref name="folder"/> (the root of the pocom data), ordered by id.</summary>
    /// <exception cref="SourceFormatException">A file is not well-formed XML or lacks a required element.</exception>
    public static IReadOnlyList<Official> ReadFolder(string folder)
    {
        if (!Directory.Exists(Path.Combine(folder, "people")))
        {
            throw new SourceFormatException(folder, 0, 0, "not a POCOM data folder: it has no people/ folder");
        }
        var roles = ReadRoleNames(Path.Combine(folder, "roles-country-chiefs"));
        var posts = new Dictionary<string, List<OfficialPost>>(StringComparer.Ordinal);
        foreach (var file in Files(folder, "missions-countries"))
        {
            var root = Load(file);
            foreach (var chief in root.Elements("chiefs").Elements("chief"))
            {
                var personId = Required(chief, "person-id", file);
                var roleId = Text(chief, "role-title-id") ?? "";
                var title = roles.GetValueOrDefault(roleId) ?? roleId;
                var territory = Text(chief, "contemporary-territory-id") ?? Text(root, "territory-id");
                var started = DateOf(chief, "started");
                var appointed = DateOf(chief, "appointed");
                Add(posts, personId, new OfficialPost(
                    Required(chief, "id", file), title, ShortTitle(roleId, title),
                    Territories.Name(territory, started ?? appointed), territory,
                    appointed, started, DateOf(chief, "ended"), Note(chief)));
            }
        }
        foreach (var file in Files(folder, "missions-orgs"))
        {
            var root = Load(file);
            var title = Fold(root.Element("names")?.Element("singular")?.Value) ?? Required(root, "id", file);
            var orgId = Text(root, "id");
            foreach (var chief in root.Elements("chiefs").Elements("chief"))
            {
                Add(posts, Required(chief, "person-id", file), new OfficialPost(
                    Required(chief, "id", file), title, title, null, orgId,
                    DateOf(chief, "appointed"), DateOf(chief, "started"), DateOf(chief, "ended"), Note(chief)));
            }
        }
        foreach (var file in Files(folder, "positions-principals"))
        {
            var root = Load(file);
            var title = Fold(root.Element("names")?.Element("singular")?.Value) ?? Required(root, "id", file);
            foreach (var principal in root.Elements("principals").Elements("principal"))
            {
                Add(posts, Required(principal, "person-id", file), new OfficialPost(
                    Required(principal, "id", file), title, title, null, null,
                    DateOf(principal, "appointed"), DateOf(principal, "started"), DateOf(principal, "ended"), Note(principal)));
            }
        }

        var officials = new List<Official>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "people"), "*.xml", SearchOption.AllDirectories))
        {
            var root = Load(file);
            var id = Required(root, "id", file);
            var name = root.Element("persName");
            var held = posts.TryGetValue(id, out var list)
                ? list.OrderBy(p => p.Started ?? p.Appointed ?? "9999", StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToList()
                : [];
            officials.Add(new Official(
                id,
                Fold(name?.Element("surname")?.Value) ?? throw Missing(root, "persName/surname", file),
                Fold(name?.Element("forename")?.Value) ?? "",
                name?.Elements("altname").Select(a => Fold(a.Value)).OfType<string>().ToList() ?? [],
                Text(root, "birth"),
                Text(root, "death"),
                held));
        }
        officials.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return officials;
    }

    private static IEnumerable<string> Files(string folder, string sub)
    {
        var path = Path.Combine(folder, sub);
        return Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.xml").Order(StringComparer.Ordinal)
            : [];
    }

    private static Dictionary<string, string> ReadRoleNames(string folder)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return names;
        }
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml"))
        {
            var root = Load(file);
            if (Text(root, "id") is { } id && Fold(root.Element("names")?.Element("singular")?.Value) is { } singular)
            {
                names[id] = singular;
            }
        }
        return names;
    }

    // The title a reader uses: "Ambassador" rather than "Ambassador Extraordinary and Plenipotentiary".
    private static string ShortTitle(string roleId, string title) => roleId switch
    {
        "ambassador-e-p" => "Ambassador",
        "envoy-extraordinary-minister-plenipotentiary" or "envoy-extraordinary-minister-plenipotentiary-consul-general"
            or "minister-plenipotentiary" or "minister" => "Minister",
        "charge-daffaires" or "charge-daffaires-ad-interim" or "charge-daffaires-pro-tem" or "charge-daffaires-consul-general" => "Chargé d’Affaires",
        _ => title,
    };

    private static void Add(Dictionary<string, List<OfficialPost>> posts, string personId, OfficialPost post)
    {
        if (!posts.TryGetValue(personId, out var list))
        {
            posts[personId] = list = [];
        }
        list.Add(post);
    }

    private static string? DateOf(XElement e, string name) => Text(e.Element(name), "date");

    private static string? Note(XElement e) => Fold(e.Element("note")?.Value);

    private static string? Text(XElement? e, string name) => Fold(e?.Element(name)?.Value);

    private static string? Fold(string? s)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }
        return string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Required(XElement e, string name, string file) => Text(e, name) ?? throw Missing(e, name, file);

    private static SourceFormatException Missing(XElement e, string name, string file)
    {
        var info = (IXmlLineInfo)e;
        return new SourceFormatException(file, info.LineNumber, info.LinePosition, $"<{e.Name.LocalName}> has no <{name}>");
    }

    private static XElement Load(string file)
    {
        var info = new FileInfo(file);
        if (info.Length > MaxFileBytes)
        {
            throw new SourceFormatException(file, 1, 1, $"file is {info.Length} bytes, more than a POCOM file can be ({MaxFileBytes})");
        }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxFileBytes,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(file, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo).Root ?? throw new SourceFormatException(file, 1, 1, "empty XML document");
        }
        catch (XmlException e)
        {
            throw new SourceFormatException(file, e.LineNumber, e.LinePosition, e.Message);
        }
    }

    /// <summary>Country names as a reader of the period says them.</summary>
    private static class Territories
    {
        // Ids whose plain title-casing reads wrong.
        private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
        {
            ["united-kingdom"] = "the United Kingdom",
            ["netherlands"] = "the Netherlands",
            ["philippines"] = "the Philippines",
            ["bahamas"] = "the Bahamas",
            ["gambia"] = "the Gambia",
            ["holy-see"] = "the Holy See",
            ["united-arab-emirates"] = "the United Arab Emirates",
            ["dominican-republic"] = "the Dominican Republic",
            ["czech-republic"] = "the Czech Republic",
            ["central-african-republic"] = "the Central African Republic",
            ["marshall-islands"] = "the Marshall Islands",
            ["solomon-islands"] = "the Solomon Islands",
            ["cote-divoire"] = "Côte d’Ivoire",
            ["congo-kinshasa"] = "the Democratic Republic of the Congo",
            ["congo-brazzaville"] = "the Republic of the Congo",
            ["german-democratic-republic"] = "the German Democratic Republic",
            ["micronesia-federated-states-of"] = "the Federated States of Micronesia",
            ["kingdom-of-two-sicilies-1861"] = "the Two Sicilies",
            ["joseon-dynasty-1910"] = "Korea",
            // FRUS writes "the Embassy in Vietnam" for Saigon before 1975
            ["south-vietnam-1975"] = "Vietnam",
            ["state-of-vietnam-1955"] = "Vietnam",
            ["czechoslovakia-1993"] = "Czechoslovakia",
            ["albania-1946"] = "Albania",
            ["yugoslavia-1946"] = "Yugoslavia",
            ["socialist-federal-republic-of-yugoslavia-1992"] = "Yugoslavia",
            ["guinea-bissau"] = "Guinea-Bissau",
            ["timor-leste"] = "Timor-Leste",
            ["antigua-and-barbuda"] = "Antigua and Barbuda",
            ["trinidad-and-tobago"] = "Trinidad and Tobago",
            ["saint-kitts-and-nevis"] = "Saint Kitts and Nevis",
            ["saint-vincent-and-grenadines"] = "Saint Vincent and the Grenadines",
            ["sao-tome-and-principe"] = "São Tomé and Príncipe",
            ["bosnia-herzegovina"] = "Bosnia and Herzegovina",
        };

        /// <summary>The name for <paramref name="territoryId"/> at <paramref name="date"/> (ISO).</summary>
        public static string? Name(string? territoryId, string? date)
        {
            if (territoryId is null)
            {
                return null;
            }
            // POCOM files the Soviet mission under "russia"; between December 1922 and December 1991 it was the Soviet Union.
            if (territoryId == "russia" && date is { Length: >= 4 }
                && string.CompareOrdinal(date, "1922-12-30") >= 0 && string.CompareOrdinal(date, "1991-12-26") < 0)
            {
                return "the Soviet Union";
            }
            if (Names.TryGetValue(territoryId, out var name))
            {
                return name;
            }
            var words = territoryId.Split('-', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w is "and" or "of" or "the" ? w : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(w));
            return string.Join(' ', words);
        }
    }
}
