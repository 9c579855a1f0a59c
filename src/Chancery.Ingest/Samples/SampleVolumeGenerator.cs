using System.Globalization;
using System.Xml;

namespace Chancery.Ingest.Samples;

/// <summary>
/// Writes one synthetic volume. Holds the volume's cast (persons, countries, terms), its telegram number series
/// and the running page count; everything is drawn from one seeded stream in a fixed order, which is what
/// makes the output reproducible.
/// </summary>
internal sealed class SampleVolumeGenerator
{
    private const string Tei = SampleVolumeWriter.TeiNamespace;
    private const string Frus = SampleVolumeWriter.FrusNamespace;
    private const int Department = -1;
    private const int WordsPerPage = 450;

    private static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    private static readonly string[] ChapterTitles =
    [
        "{0}", "Relations of the United States With {0}", "Political Developments in {0}",
        "Economic Relations With {0}", "Assistance to {0}", "{1} Frontier Questions",
        "The Question of {1} Claims", "Representations Concerning {0}",
    ];

    private readonly XmlWriter _xml;
    private readonly SampleVolumeOptions _options;
    private readonly SampleRandom _random;
    private readonly SampleVocabulary _words = SampleVocabulary.Instance;
    private readonly SampleCountry[] _countries;
    private readonly int[] _chapterSizes;
    private readonly List<VolumePerson> _persons = [];
    private readonly List<VolumePerson> _officials = [];
    private readonly VolumePerson _secretary;
    private readonly VolumePerson _underSecretary;
    private readonly VolumePerson[] _envoys;
    private readonly VolumePerson[] _counselors;
    private readonly VolumePerson[] _foreignMinisters;
    private readonly VolumePerson[] _foreignEnvoys;
    private readonly SampleTerm[] _terms;
    private readonly Dictionary<(int Country, bool FromDepartment, int Year), TelegramSeries> _series = [];
    private readonly Dictionary<(int Country, int Year), int> _despatchNumbers = [];
    private readonly DateTime _firstDay;
    private readonly int _days;

    // Page state: a pb falls after about WordsPerPage words of body text.
    private int _page;
    private int _facs = 2;
    private int _wordsOnPage;
    private int _nextBreak;
    private bool _pageBreakDue;

    // Text of the element being written; flushed before each child element.
    private char[] _buffer = new char[8192];
    private int _length;
    private bool _needSpace;
    private bool _capitalize;
    private bool _inNote;
    private bool _continueSentence;

    // The document being written.
    private string _docId = "";
    private int _docNumber;
    private int _country;
    private DateTime _when;
    private int _wordsLeft;
    private int _footnotesLeft;
    private int _footnoteN;
    private int _markAt = -1;
    private EditorialMarkKind _mark;
    private int _inlineExcisionAt = -1;
    private bool _nameExcision;
    private int _docWords;

    public SampleVolumeGenerator(XmlWriter xml, SampleVolumeOptions options)
    {
        _xml = xml;
        _options = options;
        _random = new SampleRandom(((ulong)(uint)options.Seed * 0x9E3779B97F4A7C15UL) ^ Fnv(options.VolumeId));
        _firstDay = new DateTime(options.StartYear, 1, 1);
        _days = (int)(new DateTime(options.EndYear, 12, 31) - _firstDay).TotalDays + 1;

        var chapters = Math.Max(1, (int)Math.Round(options.Documents / 150.0));
        _chapterSizes = SplitEvenly(options.Documents, chapters);
        var countries = SampleLexicon.Countries.ToArray();
        _random.Shuffle(countries);
        _countries = countries.Take(Math.Clamp(chapters, 3, countries.Length)).ToArray();
        _terms = SampleLexicon.Terms.Where(t => t.FromYear <= options.EndYear).ToArray();

        var pool = new Queue<SampleName>(Shuffled(_words.People.Where(p => !p.Foreign)));
        var foreignPool = Shuffled(_words.People.Where(p => p.Foreign));
        var foreignNext = 0;
        SampleName NextAmerican() => pool.Count > 0 ? pool.Dequeue() : _words.People[_random.Next(230)];
        SampleName NextForeign() => foreignPool[foreignNext++ % foreignPool.Count];

        _secretary = AddPerson(NextAmerican(), "Secretary of State", Department, RoleKind.Secretary);
        _underSecretary = AddPerson(NextAmerican(), "Under Secretary of State; Acting Secretary of State in the Secretary’s absence", Department, RoleKind.UnderSecretary);
        _officials.Add(_secretary);
        _officials.Add(_underSecretary);
        string[] assistants = ["Economic Affairs", "Political Affairs", "Occupied Areas", "Public Affairs"];
        foreach (var area in assistants)
        {
            _officials.Add(AddPerson(NextAmerican(), $"Assistant Secretary of State for {area}", Department, RoleKind.Official));
        }
        var areas = SampleLexicon.Areas.ToArray();
        _random.Shuffle(areas);
        foreach (var area in areas.Take(6))
        {
            var office = _random.Chance(0.5) ? $"Director of the Office of {area} Affairs" : $"Chief of the Division of {area} Affairs";
            _officials.Add(AddPerson(NextAmerican(), office, Department, RoleKind.Official));
        }
        _officials.Add(AddPerson(NextAmerican(), "Legal Adviser of the Department of State", Department, RoleKind.Official));
        _officials.Add(AddPerson(NextAmerican(), "Special Assistant to the Secretary of State", Department, RoleKind.Official));

        _envoys = new VolumePerson[_countries.Length];
        _counselors = new VolumePerson[_countries.Length];
        _foreignMinisters = new VolumePerson[_countries.Length];
        _foreignEnvoys = new VolumePerson[_countries.Length];
        for (var c = 0; c < _countries.Length; c++)
        {
            var country = _countries[c];
            _envoys[c] = AddPerson(NextAmerican(), EnvoyTitle(c, charge: false), c, RoleKind.Envoy);
            _counselors[c] = AddPerson(NextAmerican(), $"Counselor of Embassy in {country.Name}; Chargé in the {country.EnvoyTitle}’s absence", c, RoleKind.Counselor);
            _foreignMinisters[c] = AddPerson(NextForeign(), $"{country.Adjective} Minister for Foreign Affairs", c, RoleKind.ForeignMinister);
            _foreignEnvoys[c] = AddPerson(NextForeign(), $"{country.Adjective} Ambassador in the United States", c, RoleKind.ForeignEnvoy);
        }
        _persons.Sort((a, b) => string.CompareOrdinal(a.Name.Listed, b.Name.Listed));
        _nextBreak = NextPageLength();
    }

    private List<SampleName> Shuffled(IEnumerable<SampleName> names)
    {
        var list = names.ToList();
        _random.Shuffle(list);
        return list;
    }

    private VolumePerson AddPerson(SampleName name, string role, int country, RoleKind kind)
    {
        var stem = "p_" + Initial(name.Surname) + Initial(name.Given) + (name.Middle.Length > 0 ? Initial(name.Middle) : "");
        var n = 1;
        while (_persons.Any(p => p.Id == stem + n.ToString(CultureInfo.InvariantCulture)))
        {
            n++;
        }
        var person = new VolumePerson(stem + n.ToString(CultureInfo.InvariantCulture), name, role, country, kind);
        _persons.Add(person);
        return person;
    }

    // ASCII initials keep ids plain even for names such as "Émile" or "Gálvez".
    private static string Initial(string name) => name[0] switch
    {
        'É' => "E",
        'Á' => "A",
        var c when char.IsAsciiLetter(c) => char.ToUpperInvariant(c).ToString(),
        _ => "X",
    };

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    private int[] SplitEvenly(int total, int parts)
    {
        var sizes = new int[parts];
        for (var i = 0; i < parts; i++)
        {
            sizes[i] = total / parts + (i < total % parts ? 1 : 0);
        }
        // Shift some documents between neighbouring chapters so chapters are not all the same length.
        for (var i = 0; i + 1 < parts; i++)
        {
            var move = _random.Next(Math.Max(1, sizes[i] / 3));
            if (sizes[i] - move >= 1)
            {
                sizes[i] -= move;
                sizes[i + 1] += move;
            }
        }
        return sizes;
    }

    private int NextPageLength() => WordsPerPage * 3 / 4 + _random.Next(WordsPerPage / 2);

    private string EnvoyTitle(int c, bool charge)
    {
        var country = _countries[c];
        if (charge || country.EnvoyTitle == "Chargé")
        {
            return $"Chargé in {country.Name}";
        }
        return country.EnvoyTitle == "Political Adviser"
            ? $"United States Political Adviser for {country.Name}"
            : $"{country.EnvoyTitle} in {country.Name}";
    }

    public void Write()
    {
        _xml.WriteStartDocument();
        _xml.WriteStartElement("TEI", Tei);
        _xml.WriteAttributeString("xmlns", "frus", null, Frus);
        XmlId(_options.VolumeId);
        WriteHeader();
        _xml.WriteStartElement("text", Tei);
        WriteFront();
        _xml.WriteStartElement("body", Tei);
        _page = 1;
        WritePageBreak();
        for (var c = 0; c < _chapterSizes.Length; c++)
        {
            WriteChapter(c);
        }
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
    }

    private void WriteHeader()
    {
        var title = _options.Title
            ?? $"Synthetic Sample Volume {_options.VolumeId}, {_options.StartYear}–{_options.EndYear} (generated for Chancery)";
        Start("teiHeader");
        Start("fileDesc");
        Start("titleStmt");
        Element("title", title, "type", "complete");
        Element("title", "Chancery Synthetic Volumes", "type", "series");
        Element("title", Years(), "type", "subseries");
        Element("title", _options.VolumeId, "type", "volumenumber");
        Element("title", title, "type", "volume");
        Element("editor", "Chancery sample generator", "role", "primary");
        End();
        Start("publicationStmt");
        Element("publisher", "The Chancery project");
        Element("pubPlace", "Washington");
        Element("date", "2025");
        Element("idno", _options.VolumeId, "type", "frus");
        End();
        Start("sourceDesc");
        Element("p", string.Create(CultureInfo.InvariantCulture,
            $"Generated by Chancery’s SampleVolumeWriter (seed {_options.Seed}, {_options.Documents} documents). The text is synthetic, drawn from a built-in vocabulary; it is not a historical record."));
        End();
        End();
        Start("encodingDesc");
        Start("tagsDecl");
        Element("rendition", "display: inline; float: left;", "xml:id", "left");
        Element("rendition", "display: inline; float: right;", "xml:id", "right");
        End();
        End();
        End();
    }

    private string Years() => _options.StartYear == _options.EndYear
        ? _options.StartYear.ToString(CultureInfo.InvariantCulture)
        : $"{_options.StartYear}–{_options.EndYear}";

    private void WriteFront()
    {
        Start("front");
        _xml.WriteStartElement("pb", Tei);
        _xml.WriteAttributeString("n", "V");
        XmlId("pg_V");
        _xml.WriteAttributeString("facs", Facs());
        _xml.WriteEndElement();

        Start("div");
        _xml.WriteAttributeString("type", "section");
        XmlId("terms");
        Element("head", "List of Abbreviations and Code Words");
        Start("list");
        _xml.WriteAttributeString("type", "terms");
        foreach (var term in _terms.OrderBy(t => t.Term, StringComparer.OrdinalIgnoreCase))
        {
            StartMixed("item");
            Start("hi");
            _xml.WriteAttributeString("rend", "strong");
            Element("term", term.Term, "xml:id", term.Id);
            _xml.WriteString(",");
            End();
            _xml.WriteString(" " + term.Description);
            End();
        }
        End();
        End();

        _xml.WriteStartElement("pb", Tei);
        _xml.WriteAttributeString("n", "VII");
        XmlId("pg_VII");
        _xml.WriteAttributeString("facs", Facs());
        _xml.WriteEndElement();

        Start("div");
        _xml.WriteAttributeString("type", "section");
        XmlId("persons");
        Element("head", "List of Persons");
        Start("list");
        _xml.WriteAttributeString("type", "names");
        foreach (var person in _persons)
        {
            StartMixed("item");
            Start("hi");
            _xml.WriteAttributeString("rend", "strong");
            Element("persName", person.Name.Listed, "xml:id", person.Id);
            _xml.WriteString(",");
            End();
            _xml.WriteString(" " + person.Role);
            End();
        }
        End();
        End();
        End();
    }

    private void WriteChapter(int chapter)
    {
        var c = chapter % _countries.Length;
        var country = _countries[c];
        // The first pass over the countries uses the plain name, later passes a topic within it.
        var pattern = chapter < _countries.Length ? ChapterTitles[0] : ChapterTitles[1 + _random.Next(ChapterTitles.Length - 1)];
        var title = string.Format(CultureInfo.InvariantCulture, pattern, Capitalized(country.Name), country.Adjective);
        Start("div");
        _xml.WriteAttributeString("type", "chapter");
        XmlId("ch" + (chapter + 1).ToString(CultureInfo.InvariantCulture));
        Element("head", title);

        var size = _chapterSizes[chapter];
        var offsets = new int[size];
        for (var i = 0; i < size; i++)
        {
            offsets[i] = _random.Next(_days) * 1440 + DrawMinuteOfDay();
        }
        Array.Sort(offsets);
        foreach (var offset in offsets)
        {
            var when = _firstDay.AddMinutes(offset);
            // Most documents concern the chapter's country; some come from a neighbouring post.
            var docCountry = _random.Chance(0.85) ? c : _random.Next(_countries.Length);
            WriteDocument(when, docCountry);
        }
        End();
    }

    // Office hours dominate, with a tail of night telegrams.
    private int DrawMinuteOfDay()
    {
        var hour = _random.Chance(0.8) ? 9 + _random.Next(10) : _random.Next(24);
        var minute = _random.Chance(0.6) ? 0 : _random.Next(60);
        return hour * 60 + minute;
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private void WriteDocument(DateTime when, int country)
    {
        _docNumber++;
        _docId = "d" + _docNumber.ToString(CultureInfo.InvariantCulture);
        _when = when;
        _country = country;
        _footnoteN = 0;
        var kind = PickKind();
        var pending = kind != DocumentKind.EditorialNote && _random.Chance(0.004);
        var classification = PickClassification(kind);
        if (pending)
        {
            WritePendingDocument(kind, classification ?? "secret");
            return;
        }

        _wordsLeft = PickLength(kind);
        _docWords = _wordsLeft;
        _footnotesLeft = PickFootnoteCount();
        _markAt = _random.Chance(0.04) ? _random.Next(_wordsLeft) : -1;
        _mark = (EditorialMarkKind)_random.Next(4);
        var excision = _random.Chance(0.05) ? (ExcisionKind)_random.Next(4) : ExcisionKind.None;
        _inlineExcisionAt = excision is ExcisionKind.LessThanLine or ExcisionKind.Lines ? _random.Next(_wordsLeft) : -1;
        _nameExcision = excision == ExcisionKind.Name;

        Start("div");
        _xml.WriteAttributeString("type", "document");
        XmlId(_docId);
        _xml.WriteAttributeString("n", _docNumber.ToString(CultureInfo.InvariantCulture));

        var incoming = kind switch
        {
            DocumentKind.Telegram => _random.Chance(0.6),
            DocumentKind.Despatch or DocumentKind.Airgram => true,
            _ => false,
        };
        var author = PickAuthor(kind, incoming, out var recipient);
        var fileNumber = FileNumber();
        switch (kind)
        {
            case DocumentKind.Telegram:
                SourceNote(fileNumber + ": Telegram");
                break;
            case DocumentKind.Airgram:
                SourceNote(fileNumber + ": Airgram");
                break;
            case DocumentKind.EditorialNote:
                break;
            default:
                SourceNote(fileNumber);
                break;
        }
        WriteHead(kind, incoming, author, recipient);
        WriteOpener(kind, incoming, classification, author);

        int? telegramNumber = null;
        if (kind is DocumentKind.Telegram)
        {
            var series = Series(_country, !incoming, _when.Year);
            telegramNumber = series.Reserve(_when, _random);
            if (classification is "secret" or "top secret" && _random.Chance(0.08))
            {
                WriteCaption(incoming, author, classification);
            }
        }
        if (kind is DocumentKind.Letter or DocumentKind.Despatch or DocumentKind.Instruction)
        {
            Element("salute", Salutation(kind, recipient));
        }
        if (kind == DocumentKind.MemorandumOfConversation && _random.Chance(0.3))
        {
            WriteParticipants(author);
        }

        var enclosureWords = kind == DocumentKind.Despatch && _random.Chance(0.25) ? _wordsLeft / 3 : 0;
        _wordsLeft -= enclosureWords;
        WriteBody(kind, incoming, telegramNumber, excision);
        WriteCloser(kind, author);
        if (enclosureWords > 0)
        {
            _wordsLeft = enclosureWords;
            _xml.WriteStartElement("frus", "attachment", Frus);
            Element("head", "[Enclosure]");
            WriteParagraphs(DocumentKind.Memorandum, firstPrefix: null, excision: ExcisionKind.None);
            _xml.WriteEndElement();
        }
        if (telegramNumber is { } number)
        {
            Series(_country, !incoming, _when.Year).Printed.Add(new PrintedTelegram(number, _docNumber, _when));
        }
        End();
    }

    private void WritePendingDocument(DocumentKind kind, string classification)
    {
        Start("div");
        _xml.WriteAttributeString("type", "document-pending");
        XmlId(_docId);
        _xml.WriteAttributeString("n", _docNumber.ToString(CultureInfo.InvariantCulture));
        var author = PickAuthor(kind, incoming: false, out var recipient);
        WriteHead(kind == DocumentKind.Telegram ? DocumentKind.Memorandum : kind, incoming: false, author, recipient);
        WriteOpener(DocumentKind.Memorandum, incoming: false, classification: null, author: _secretary);
        Start("note");
        _xml.WriteAttributeString("type", "source");
        _xml.WriteAttributeString("rend", "inline");
        _xml.WriteString($"[Source: Department of State, Central Files, {FileNumber()}. {Capitalized(TitleCase(classification))}. {1 + _random.Next(6)} pages of source text not declassified.]");
        End();
        End();
    }

    private static string TitleCase(string text) =>
        string.Join(' ', text.Split(' ').Select(Capitalized));

    private DocumentKind PickKind()
    {
        var x = _random.NextDouble();
        return x switch
        {
            < 0.55 => DocumentKind.Telegram,
            < 0.65 => DocumentKind.MemorandumOfConversation,
            < 0.75 => DocumentKind.Memorandum,
            < 0.85 => DocumentKind.Letter,
            < 0.90 => DocumentKind.Despatch,
            < 0.95 => DocumentKind.EditorialNote,
            < 0.965 => _when.Year >= 1944 ? DocumentKind.Airgram : DocumentKind.Instruction,
            < 0.98 => DocumentKind.Instruction,
            < 0.99 => DocumentKind.EmbassyNote,
            _ => DocumentKind.Paper,
        };
    }

    // Log-normal lengths: median about 350 words, with a tail that reaches the 5,000-word cap.
    private int PickLength(DocumentKind kind)
    {
        var median = kind switch
        {
            DocumentKind.EditorialNote => 150.0,
            DocumentKind.Despatch or DocumentKind.Paper => 600.0,
            DocumentKind.Telegram => 330.0,
            _ => 380.0,
        };
        var words = median * Math.Exp(0.86 * _random.NextGaussian());
        return (int)Math.Clamp(words, 30, 5000);
    }

    private int PickFootnoteCount()
    {
        var x = _random.NextDouble();
        return x switch
        {
            < 0.35 => 0,
            < 0.60 => 1,
            < 0.75 => 2,
            < 0.85 => 3,
            < 0.92 => 4,
            < 0.97 => 5,
            _ => 6,
        };
    }

    private string? PickClassification(DocumentKind kind)
    {
        if (kind == DocumentKind.EditorialNote || (kind == DocumentKind.Paper && _random.Chance(0.7)))
        {
            return null;
        }
        if (kind is DocumentKind.Letter or DocumentKind.EmbassyNote && _random.Chance(0.5))
        {
            return null;
        }
        var x = _random.NextDouble();
        return x switch
        {
            < 0.10 => "top secret",
            < 0.45 => "secret",
            < 0.70 => "confidential",
            < 0.80 => _when.Year <= 1952 ? "restricted" : "limited official use",
            _ => null,
        };
    }

    private VolumePerson PickAuthor(DocumentKind kind, bool incoming, out VolumePerson recipient)
    {
        var c = _country;
        var charge = _random.Chance(0.15);
        var post = charge ? _counselors[c] : _envoys[c];
        var principal = _random.Chance(0.7) ? _secretary : _underSecretary;
        switch (kind)
        {
            case DocumentKind.Telegram:
            case DocumentKind.Despatch:
            case DocumentKind.Airgram:
            case DocumentKind.Instruction:
                recipient = incoming ? principal : post;
                return incoming ? post : principal;
            case DocumentKind.Letter:
                switch (_random.Next(3))
                {
                    case 0:
                        recipient = _secretary;
                        return _foreignEnvoys[c];
                    case 1:
                        recipient = _foreignEnvoys[c];
                        return principal;
                    default:
                        recipient = _officials[2 + _random.Next(_officials.Count - 2)];
                        return _envoys[c];
                }
            case DocumentKind.EmbassyNote:
                recipient = _secretary;
                return _foreignEnvoys[c];
            default:
                var official = _officials[2 + _random.Next(_officials.Count - 2)];
                recipient = _random.Chance(0.7) ? _secretary : _underSecretary;
                return official;
        }
    }

    private void SourceNote(string text)
    {
        Start("note");
        _xml.WriteAttributeString("rend", "inline");
        _xml.WriteAttributeString("type", "source");
        _xml.WriteString(text);
        End();
    }

    // Central Decimal File numbers: class + country code + subject, then the document's date ("761.93/7–1345").
    private string FileNumber()
    {
        var code = _countries[_country].FileCode;
        var subject = _random.Next(7) switch
        {
            0 => $"7{code}.00",
            1 => $"7{code}.{_countries[_random.Next(_countries.Length)].FileCode}",
            2 => $"711.{code}",
            3 => $"8{code}.5{_random.Next(10)}",
            4 => $"8{code}.20",
            5 => $"740.00119 Control ({TrimArticle(_countries[_country].Name)})",
            _ => $"8{code}.00",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{subject}/{_when.Month}–{_when.Day}{_when.Year % 100:00}");
    }

    private static string TrimArticle(string name) => name.StartsWith("the ", StringComparison.Ordinal) ? Capitalized(name[4..]) : name;

    private void WriteHead(DocumentKind kind, bool incoming, VolumePerson author, VolumePerson recipient)
    {
        StartMixed("head");
        switch (kind)
        {
            case DocumentKind.EditorialNote:
                Hi("italic", "Editorial Note");
                break;
            case DocumentKind.MemorandumOfConversation:
                Hi("italic", $"Memorandum of Conversation, by the {ShortRole(author)}");
                _xml.WriteString(" (");
                PersonInHead(author, "from");
                _xml.WriteString(")");
                break;
            case DocumentKind.Memorandum:
                Hi("italic", $"Memorandum by the {ShortRole(author)}");
                _xml.WriteString(" (");
                PersonInHead(author, "from");
                _xml.WriteString(") ");
                Hi("italic", $"to the {ShortRole(recipient)}");
                _xml.WriteString(" (");
                PersonInHead(recipient, "to");
                _xml.WriteString(")");
                break;
            case DocumentKind.Paper:
                Hi("italic", $"Paper Prepared by the {ShortRole(author)}");
                _xml.WriteString(" (");
                PersonInHead(author, "from");
                _xml.WriteString(")");
                break;
            case DocumentKind.EmbassyNote:
                Hi("italic", $"The {_countries[_country].Adjective} Embassy to the Department of State");
                break;
            default:
                if (author.Country == Department)
                {
                    // "The Secretary of State to the Ambassador in France (Name)"
                    Start("hi");
                    _xml.WriteAttributeString("rend", "italic");
                    _xml.WriteString(author.Kind == RoleKind.UnderSecretary ? "The Acting " : "The ");
                    Gloss("from", "Secretary of State");
                    _xml.WriteString($" to the {ShortRole(recipient)}");
                    End();
                    _xml.WriteString(" (");
                    PersonInHead(recipient, "to");
                    _xml.WriteString(")");
                }
                else
                {
                    Hi("italic", $"The {ShortRole(author)}");
                    _xml.WriteString(" (");
                    PersonInHead(author, "from");
                    _xml.WriteString(") ");
                    Start("hi");
                    _xml.WriteAttributeString("rend", "italic");
                    _xml.WriteString("to the ");
                    if (recipient.Kind is RoleKind.Secretary or RoleKind.UnderSecretary)
                    {
                        Gloss("to", "Secretary of State");
                        End();
                    }
                    else
                    {
                        _xml.WriteString(ShortRole(recipient));
                        End();
                        _xml.WriteString(" (");
                        PersonInHead(recipient, "to");
                        _xml.WriteString(")");
                    }
                }
                break;
        }
        // Now and then the head carries the first footnote, as FRUS does for transmission details.
        if (kind == DocumentKind.Telegram && _footnotesLeft > 0 && _random.Chance(0.15))
        {
            Footnote(() =>
            {
                if (incoming && _random.Chance(0.5))
                {
                    _xml.WriteString($"Repeated to {_countries[_random.Next(_countries.Length)].Capital} as {1 + _random.Next(900)}.");
                }
                else
                {
                    _xml.WriteString(incoming ? "Sent via Navy channels." : "Drafted by ");
                    if (!incoming)
                    {
                        PersonMentionElement(_officials[2 + _random.Next(_officials.Count - 2)], full: false);
                        _xml.WriteString(".");
                    }
                }
            });
        }
        End();
    }

    private static string ShortRole(VolumePerson person) => person.Kind switch
    {
        RoleKind.Secretary => "Secretary of State",
        RoleKind.UnderSecretary => "Under Secretary of State",
        RoleKind.Counselor => "Chargé in " + person.Role["Counselor of Embassy in ".Length..person.Role.IndexOf(';', StringComparison.Ordinal)],
        RoleKind.ForeignEnvoy => person.Role.Replace(" in the United States", "", StringComparison.Ordinal),
        _ => person.Role,
    };

    private void PersonInHead(VolumePerson person, string type)
    {
        Start("persName");
        _xml.WriteAttributeString("corresp", "#" + person.Id);
        _xml.WriteAttributeString("type", type);
        Hi("italic", person.Name.Surname);
        End();
    }

    private void WriteOpener(DocumentKind kind, bool incoming, string? classification, VolumePerson author)
    {
        if (kind == DocumentKind.EditorialNote)
        {
            return;
        }
        Start("opener");
        Start("dateline");
        _xml.WriteAttributeString("rendition", "#right");
        _xml.WriteString(string.Empty);
        // Written where the author sits: the post abroad, or Washington for the Department and foreign envoys there.
        var place = author.Kind is RoleKind.Envoy or RoleKind.Counselor ? _countries[_country].Capital : "Washington";
        var bracketed = kind is DocumentKind.MemorandumOfConversation or DocumentKind.Memorandum or DocumentKind.Paper;
        if (kind is DocumentKind.Despatch or DocumentKind.Instruction or DocumentKind.Airgram)
        {
            _xml.WriteString($"{(kind == DocumentKind.Airgram ? "A-" : "No. ")}{DespatchNumber()}");
            Empty("lb");
        }
        if (bracketed)
        {
            _xml.WriteString("[");
        }
        Start("placeName");
        Hi("smallcaps", place);
        End();
        _xml.WriteString(bracketed ? ",] " : ", ");
        if (kind is DocumentKind.Telegram)
        {
            Start("date");
            _xml.WriteAttributeString("when", _when.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            _xml.WriteString($"{LongDate(_when)}—{ClockTime(_when)}");
            End();
            if (incoming)
            {
                var received = _when.AddMinutes(120 + _random.Next(1800));
                Empty("lb");
                _xml.WriteString($"[Received {Months[received.Month - 1]} {received.Day}—{ClockTime(received)}]");
            }
            else
            {
                _xml.WriteString(".");
            }
        }
        else
        {
            var x = _random.NextDouble();
            Start("date");
            if (x < 0.01)
            {
                _xml.WriteString("undated");
            }
            else if (x < 0.02)
            {
                _xml.WriteAttributeString("when", _when.ToString("yyyy-MM", CultureInfo.InvariantCulture));
                _xml.WriteString($"{Months[_when.Month - 1]} {_when.Year}");
            }
            else if (x < 0.05 && kind is not DocumentKind.Letter)
            {
                var to = _when.AddDays(1 + _random.Next(4));
                _xml.WriteAttributeString("from", _when.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                _xml.WriteAttributeString("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                _xml.WriteString(to.Month == _when.Month
                    ? $"{Months[_when.Month - 1]} {_when.Day}–{to.Day}, {to.Year}"
                    : $"{Months[_when.Month - 1]} {_when.Day}–{Months[to.Month - 1]} {to.Day}, {to.Year}");
            }
            else
            {
                _xml.WriteAttributeString("when", _when.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                _xml.WriteString(LongDate(_when));
            }
            End();
            _xml.WriteString(".");
            if (kind is DocumentKind.Despatch)
            {
                var received = _when.AddDays(5 + _random.Next(25));
                Empty("lb");
                _xml.WriteString($"[Received {LongDate(received)}.]");
            }
        }
        End();
        if (classification is not null)
        {
            Start("seg");
            _xml.WriteAttributeString("rendition", "#left");
            var precedence = kind == DocumentKind.Telegram && _random.Chance(0.05)
                ? (_when.Year >= 1947 && _random.Chance(0.3) ? "   niact" : "   urgent")
                : "";
            Hi("smallcaps", classification + precedence);
            End();
        }
        End();
    }

    private int DespatchNumber()
    {
        var key = (_country, _when.Year);
        var next = (_despatchNumbers.TryGetValue(key, out var n) ? n : _when.DayOfYear) + 1 + _random.Next(4);
        _despatchNumbers[key] = next;
        return next;
    }

    private static string LongDate(DateTime d) => string.Create(CultureInfo.InvariantCulture, $"{Months[d.Month - 1]} {d.Day}, {d.Year}");

    private static string ClockTime(DateTime d)
    {
        if (d.Minute == 0 && d.Hour == 12)
        {
            return "noon";
        }
        if (d.Minute == 0 && d.Hour == 0)
        {
            return "midnight";
        }
        var hour = d.Hour % 12 == 0 ? 12 : d.Hour % 12;
        var suffix = d.Hour < 12 ? "a.m." : "p.m.";
        return d.Minute == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hour} {suffix}")
            : string.Create(CultureInfo.InvariantCulture, $"{hour}:{d.Minute:00} {suffix}");
    }

    private void WriteCaption(bool incoming, VolumePerson author, string classification)
    {
        var text = incoming
            ? $"(Personal and {classification} for the Secretary from {author.Name.Surname}.)"
            : $"(Personal and {classification} for the {_countries[_country].EnvoyTitle} from the Secretary.)";
        Element("p", text);
    }

    private string Salutation(DocumentKind kind, VolumePerson recipient) => kind switch
    {
        DocumentKind.Despatch => "Sir:",
        DocumentKind.Instruction => "Sir:",
        _ => recipient.Kind switch
        {
            RoleKind.Secretary => "My dear Mr. Secretary:",
            RoleKind.ForeignEnvoy => "Excellency:",
            _ => $"Dear Mr. {recipient.Name.Surname}:",
        },
    };

    private void WriteParticipants(VolumePerson author)
    {
        Start("list");
        _xml.WriteAttributeString("type", "participants");
        StartMixed("item");
        _xml.WriteString("Participants: ");
        PersonMentionElement(_foreignEnvoys[_country], full: true);
        _xml.WriteString($", {_foreignEnvoys[_country].Role}");
        End();
        StartMixed("item");
        PersonMentionElement(author, full: true);
        _xml.WriteString($", {author.Role}");
        End();
        End();
    }

    private void WriteBody(DocumentKind kind, bool incoming, int? telegramNumber, ExcisionKind excision)
    {
        var prefix = telegramNumber is { } n ? n.ToString(CultureInfo.InvariantCulture) + "." : null;
        if (kind == DocumentKind.Despatch)
        {
            prefix = "I have the honor to report that";
        }
        if (kind == DocumentKind.Telegram && _footnotesLeft > 0 && _random.Chance(0.5))
        {
            // The telegram opens by citing an earlier one, which the footnote identifies.
            WriteParagraphs(kind, prefix, excision, citation: true, incoming: incoming);
            return;
        }
        WriteParagraphs(kind, prefix, excision);
    }

    private void WriteParagraphs(DocumentKind kind, string? firstPrefix, ExcisionKind excision, bool citation = false, bool incoming = false)
    {
        var first = true;
        // Inline markers are placed by WriteSentence; a withheld-paragraphs marker is a paragraph of its own.
        var excisionParagraph = excision == ExcisionKind.Paragraphs;
        while (_wordsLeft > 0)
        {
            var target = (int)Math.Clamp(85 * Math.Exp(0.5 * _random.NextGaussian()), 25, 320);
            if (_wordsLeft - target < 25)
            {
                target = _wordsLeft;
            }
            if (excisionParagraph && !first && _random.Chance(0.5))
            {
                var paragraphs = 1 + _random.Next(3);
                var lines = paragraphs * (2 + _random.Next(6));
                Element("p", string.Create(CultureInfo.InvariantCulture,
                    $"[{paragraphs} paragraph{(paragraphs == 1 ? "" : "s")} ({lines} lines) not declassified]"));
                excisionParagraph = false;
            }
            StartMixed("p");
            _needSpace = false;
            _capitalize = true;
            var end = _wordsLeft - target;
            if (first && firstPrefix is not null)
            {
                Phrase(firstPrefix);
                _capitalize = kind != DocumentKind.Despatch;
                _continueSentence = kind == DocumentKind.Despatch;
                if (citation)
                {
                    WriteCitation(incoming);
                }
            }
            while (_wordsLeft > end)
            {
                WriteSentence();
            }
            Flush();
            End();
            first = false;
        }
    }

    private void WriteCitation(bool incoming)
    {
        // Incoming: cite the Department's telegram (Deptel) or our own (mytel); outgoing: the post's (urtel) or ours.
        var otherSide = _random.Chance(0.7);
        var fromDepartment = incoming ? otherSide : !otherSide;
        var series = Series(_country, fromDepartment, _when.Year);
        var (abbreviation, termId) = (incoming, otherSide) switch
        {
            (true, true) => ("Deptel", "t_Deptel1"),
            (true, false) => ("mytel", "t_mytel1"),
            (false, true) => _random.Chance(0.5) ? ("urtel", "t_urtel1")
                : _countries[_country].EnvoyTitle == "Minister" ? ("Legtel", "t_Legtel1") : ("Embtel", "t_Embtel1"),
            _ => ("Deptel", "t_Deptel1"),
        };
        var printed = series.RecentBefore(_when, _docNumber, _random);
        int number;
        DateTime date;
        if (printed is { } p && _random.Chance(0.6))
        {
            (number, date) = (p.Number, p.Date);
        }
        else
        {
            printed = null;
            date = _when.AddDays(-1 - _random.Next(14));
            if (date.Year != _when.Year)
            {
                date = new DateTime(_when.Year, 1, 1);
            }
            number = series.Reserve(date, _random);
        }
        if (_random.Chance(0.4))
        {
            Word("Reference");
            _capitalize = false;
        }
        BeforeToken();
        Flush();
        Start("gloss");
        _xml.WriteAttributeString("target", "#" + termId);
        _xml.WriteString(CapitalizeIfDue(abbreviation));
        End();
        _needSpace = true;
        CountWord();
        Word(string.Create(CultureInfo.InvariantCulture, $"{number},"));
        Word(Months[date.Month - 1]);
        Word(string.Create(CultureInfo.InvariantCulture, $"{date.Day}"));
        Punct(".");
        var target = printed?.Document;
        Footnote(() =>
        {
            if (target is { } d)
            {
                var id = "d" + d.ToString(CultureInfo.InvariantCulture);
                Start("ref");
                _xml.WriteAttributeString("target", "#" + id);
                _xml.WriteString("Document " + d.ToString(CultureInfo.InvariantCulture));
                End();
                _xml.WriteString(".");
            }
            else
            {
                _xml.WriteString("Not printed.");
            }
        });
        _capitalize = true;
    }

    private void WriteCloser(DocumentKind kind, VolumePerson author)
    {
        switch (kind)
        {
            case DocumentKind.Telegram:
            case DocumentKind.Airgram:
                Start("closer");
                Start("signed");
                Hi("smallcaps", author.Name.Surname);
                End();
                End();
                break;
            case DocumentKind.Despatch:
            case DocumentKind.Instruction:
            case DocumentKind.Letter:
                Start("closer");
                Element("salute", kind == DocumentKind.Letter ? "Sincerely yours," : "Respectfully yours,");
                Start("signed");
                Hi("smallcaps", author.Name.Full);
                End();
                End();
                break;
            case DocumentKind.Memorandum when _random.Chance(0.4):
                Start("closer");
                Start("signed");
                Hi("smallcaps", author.Name.Full);
                End();
                End();
                break;
        }
    }

    private void WriteSentence()
    {
        if (_continueSentence)
        {
            // The sentence was begun by a fixed phrase ("I have the honor to report that").
            _continueSentence = false;
        }
        else if (_random.Chance(0.12))
        {
            _capitalize = true;
            Phrase(_random.Pick(_words.Openers));
            _capitalize = false;
        }
        else
        {
            _capitalize = true;
        }
        Clause();
        if (_random.Chance(0.2))
        {
            Punct(",");
            Word(_random.Pick(_words.Conjunctions));
            Clause();
        }
        var written = _docWords - _wordsLeft;
        if (!_inNote && _inlineExcisionAt >= 0 && written >= _inlineExcisionAt)
        {
            Word(_random.Chance(0.5) ? "[less than 1 line not declassified]" : $"[{2 + _random.Next(4)} lines not declassified]");
            _inlineExcisionAt = -1;
        }
        if (!_inNote && _markAt >= 0 && written >= _markAt)
        {
            _markAt = -1;
            switch (_mark)
            {
                case EditorialMarkKind.Sic:
                    Word("[sic]");
                    break;
                case EditorialMarkKind.Garble:
                    Word("[garble]");
                    break;
                case EditorialMarkKind.Query:
                    Word("[" + _words.VerbBase[_words.Verbs.Next(_random)] + "?]");
                    break;
                default:
                    Punct("[.]");
                    MaybeFootnote();
                    return;
            }
        }
        Punct(".");
        MaybeFootnote();
    }

    private void MaybeFootnote()
    {
        if (_footnotesLeft <= 0 || _inNote)
        {
            return;
        }
        var sentencesLeft = Math.Max(1, _wordsLeft / 16);
        if (_wordsLeft > 0 && !_random.Chance((double)_footnotesLeft / sentencesLeft))
        {
            return;
        }
        // At the end of the text every remaining note is placed, so a document keeps its planned count.
        do
        {
            WriteGeneralFootnote();
        }
        while (_wordsLeft <= 0 && _footnotesLeft > 0);
    }

    private void WriteGeneralFootnote()
    {
        var kind = _random.Next(8);
        Footnote(() =>
        {
            switch (kind)
            {
                case 0:
                case 1:
                    _xml.WriteString(_random.Chance(0.8) ? "Not printed." : "Neither printed.");
                    break;
                case 2:
                    var person = PersonFor(_country);
                    PersonMentionElement(person, full: true);
                    _xml.WriteString($", {person.Role}.");
                    break;
                case 3 when _docNumber > 1:
                    var earlier = 1 + _random.Next(_docNumber - 1);
                    _xml.WriteString("See ");
                    Start("ref");
                    _xml.WriteAttributeString("target", "#d" + earlier.ToString(CultureInfo.InvariantCulture));
                    _xml.WriteString("document " + earlier.ToString(CultureInfo.InvariantCulture));
                    End();
                    _xml.WriteString(".");
                    break;
                case 4 when _options.RelatedVolumes.Count > 0:
                    var volume = _random.Pick(_options.RelatedVolumes);
                    var n = 1 + _random.Next(volume.Documents);
                    _xml.WriteString("For text, see ");
                    Start("ref");
                    _xml.WriteAttributeString("target", volume.Id + "#d" + n.ToString(CultureInfo.InvariantCulture));
                    Hi("italic", "Foreign Relations");
                    _xml.WriteString(string.Create(CultureInfo.InvariantCulture, $", {volume.Id}, document {n}"));
                    End();
                    _xml.WriteString(".");
                    break;
                case 5:
                    _xml.WriteString(_random.Pick(UnsignedNotes));
                    break;
                default:
                    // A short editorial comment in the volume's own prose.
                    _inNote = true;
                    var saved = (_wordsLeft, _needSpace, _capitalize);
                    _wordsLeft = 20;
                    _needSpace = false;
                    WriteSentence();
                    Flush();
                    (_wordsLeft, _needSpace, _capitalize) = saved;
                    _inNote = false;
                    break;
            }
        });
    }

    private static readonly string[] UnsignedNotes =
    [
        "The source text is unsigned.", "Printed from an unsigned copy.", "Marginal notation on the source text: “Seen.”",
        "The source text bears no time of transmission.", "Printed from the copy in the Department’s files.",
    ];

    private void Footnote(Action content)
    {
        Flush();
        _footnoteN++;
        _footnotesLeft--;
        var n = _footnoteN.ToString(CultureInfo.InvariantCulture);
        Start("note");
        _xml.WriteAttributeString("n", n);
        XmlId(_docId + "fn" + n);
        _xml.WriteString(string.Empty);
        content();
        End();
        _needSpace = true;
    }

    private void Clause()
    {
        var plural = NounPhrase(allowMention: true);
        VerbPhrase(plural);
    }

    /// <summary>Writes a noun phrase; true when it is plural, for the verb's agreement.</summary>
    private bool NounPhrase(bool allowMention)
    {
        if (allowMention)
        {
            var x = _random.NextDouble();
            if (x < 0.035)
            {
                PersonMention();
                return false;
            }
            if (x < 0.065)
            {
                Place();
                return false;
            }
            if (x < 0.075 && _terms.Length > 0)
            {
                TermMention();
                return false;
            }
            if (x < 0.09)
            {
                Word("the");
                Phrase(_words.DiplomaticPhrases.Next(_random));
                return false;
            }
        }
        var plural = _random.Chance(0.3);
        var determiner = plural ? _random.Pick(_words.PluralDeterminers) : _random.Pick(_words.SingularDeterminers);
        var adjective = _random.Chance(0.35) ? _words.Adjectives.Next(_random) : null;
        var i = _words.Nouns.Next(_random);
        var noun = plural ? _words.NounPlural[i] : _words.NounSingular[i];
        if (determiner == "a" && StartsWithVowelSound(adjective ?? noun))
        {
            determiner = "an";
        }
        Word(determiner);
        if (adjective is not null)
        {
            Word(adjective);
        }
        Word(noun);
        if (_random.Chance(0.2))
        {
            Word(_words.Prepositions.Next(_random));
            Word("the");
            Word(_words.NounSingular[_words.Nouns.Next(_random)]);
        }
        return plural;
    }

    private static bool StartsWithVowelSound(string word)
    {
        if (word.StartsWith("uni", StringComparison.Ordinal) || word.StartsWith("use", StringComparison.Ordinal)
            || word.StartsWith("usu", StringComparison.Ordinal) || word.StartsWith("one", StringComparison.Ordinal))
        {
            return false;
        }
        return word[0] is 'a' or 'e' or 'i' or 'o' or 'u' || word.StartsWith("hour", StringComparison.Ordinal)
            || word.StartsWith("hon", StringComparison.Ordinal);
    }

    private void VerbPhrase(bool plural)
    {
        var v = _words.Verbs.Next(_random);
        switch (_random.Next(10))
        {
            case 0:
                Phrase(_random.Pick(_words.Modals));
                Word(_words.VerbBase[v]);
                NounPhrase(allowMention: true);
                break;
            case 1:
            case 2:
            case 3:
                Word(_words.VerbPast[v]);
                NounPhrase(allowMention: true);
                if (_random.Chance(0.5))
                {
                    Word(_words.Prepositions.Next(_random));
                    NounPhrase(allowMention: true);
                }
                break;
            case 4:
                Phrase(plural ? _random.Pick(PluralPassives) : _random.Pick(SingularPassives));
                Word(_words.VerbParticiple[v]);
                if (_random.Chance(0.6))
                {
                    Word(_words.Prepositions.Next(_random));
                    NounPhrase(allowMention: true);
                }
                break;
            case 5:
            case 6:
                Word(_words.ReportingVerbs.Next(_random));
                Word("that");
                var innerPlural = NounPhrase(allowMention: true);
                if (_random.Chance(0.5))
                {
                    Phrase(_random.Pick(_words.Modals));
                    Word(_words.VerbBase[_words.Verbs.Next(_random)]);
                }
                else
                {
                    Word(innerPlural ? _words.VerbBase[_words.Verbs.Next(_random)] : _words.VerbThirdPerson[_words.Verbs.Next(_random)]);
                }
                NounPhrase(allowMention: false);
                break;
            case 7:
                Word(_words.Adverbs.Next(_random));
                Word(_words.VerbPast[v]);
                NounPhrase(allowMention: true);
                break;
            case 8:
                Word(_words.IntransitiveVerbs.Next(_random));
                if (_random.Chance(0.6))
                {
                    Word(_words.Prepositions.Next(_random));
                    NounPhrase(allowMention: true);
                }
                break;
            default:
                Word(plural ? (_random.Chance(0.5) ? "are" : "were") : (_random.Chance(0.5) ? "is" : "was"));
                Word(_words.VerbPresentParticiple[v]);
                NounPhrase(allowMention: true);
                break;
        }
    }

    private static readonly string[] SingularPassives = ["has been", "had been", "will be", "was", "would be", "is being"];

    private static readonly string[] PluralPassives = ["have been", "had been", "will be", "were", "would be", "are being"];

    private VolumePerson PersonFor(int country)
    {
        if (_random.Chance(0.4))
        {
            return _persons[_random.Next(_persons.Count)];
        }
        return _random.Next(4) switch
        {
            0 => _envoys[country],
            1 => _counselors[country],
            2 => _foreignMinisters[country],
            _ => _foreignEnvoys[country],
        };
    }

    private void PersonMention()
    {
        if (_nameExcision && !_inNote)
        {
            _nameExcision = false;
            Word("[name not declassified]");
            return;
        }
        var person = PersonFor(_country);
        BeforeToken();
        Flush();
        Start("persName");
        _xml.WriteAttributeString("corresp", "#" + person.Id);
        _xml.WriteString(person.Name.Surname);
        End();
        _capitalize = false;
        _needSpace = true;
        CountWord();
    }

    private void PersonMentionElement(VolumePerson person, bool full)
    {
        Start("persName");
        _xml.WriteAttributeString("corresp", "#" + person.Id);
        _xml.WriteString(full ? person.Name.Full : person.Name.Surname);
        End();
    }

    private void Place()
    {
        var country = _countries[_random.Chance(0.8) ? _country : _random.Next(_countries.Length)];
        switch (_random.Next(5))
        {
            case 0:
            case 1:
                Phrase(country.Name);
                break;
            case 2:
                Phrase(country.Capital);
                break;
            default:
                Word("the");
                Phrase(country.Adjective);
                Word(_words.NounSingular[_words.Nouns.Next(_random)]);
                break;
        }
    }

    private void TermMention()
    {
        var term = _terms[_random.Next(_terms.Length)];
        BeforeToken();
        Flush();
        Start("gloss");
        _xml.WriteAttributeString("target", "#" + term.Id);
        _xml.WriteString(CapitalizeIfDue(term.Term));
        End();
        _needSpace = true;
        CountWord();
    }

    private TelegramSeries Series(int country, bool fromDepartment, int year)
    {
        if (!_series.TryGetValue((country, fromDepartment, year), out var series))
        {
            series = new TelegramSeries(1 + _random.Next(fromDepartment ? 6 : 4));
            _series[(country, fromDepartment, year)] = series;
        }
        return series;
    }

    // ---- text buffer -------------------------------------------------------------------------------------

    private void Phrase(string phrase)
    {
        var start = 0;
        for (var i = 0; i <= phrase.Length; i++)
        {
            if (i == phrase.Length || phrase[i] == ' ')
            {
                if (i > start)
                {
                    Word(phrase.AsSpan(start, i - start));
                }
                start = i + 1;
            }
        }
    }

    private void Word(string word) => Word(word.AsSpan());

    private void Word(ReadOnlySpan<char> word)
    {
        BeforeToken();
        AppendText(word);
        _needSpace = true;
        CountWord();
    }

    private void Punct(string text)
    {
        AppendText(text);
        _needSpace = true;
    }

    // A due page break goes in front of the next word, after the space: "… Shah <pb/>has not …".
    private void BeforeToken()
    {
        if (_needSpace)
        {
            Append(' ');
        }
        if (_pageBreakDue && !_inNote)
        {
            _pageBreakDue = false;
            Flush();
            WritePageBreak();
        }
        _needSpace = false;
    }

    private void CountWord()
    {
        _wordsLeft--;
        if (!_inNote && ++_wordsOnPage >= _nextBreak)
        {
            _wordsOnPage = 0;
            _nextBreak = NextPageLength();
            _page++;
            _pageBreakDue = true;
        }
    }

    private void WritePageBreak()
    {
        var n = _page.ToString(CultureInfo.InvariantCulture);
        _xml.WriteStartElement("pb", Tei);
        _xml.WriteAttributeString("n", n);
        XmlId("pg_" + n);
        _xml.WriteAttributeString("facs", Facs());
        _xml.WriteEndElement();
    }

    private string Facs() => (++_facs).ToString("0000", CultureInfo.InvariantCulture);

    private string CapitalizeIfDue(string text)
    {
        if (!_capitalize || text.Length == 0)
        {
            return text;
        }
        _capitalize = false;
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private void AppendText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }
        EnsureCapacity(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        if (_capitalize)
        {
            _buffer[_length] = char.ToUpperInvariant(_buffer[_length]);
            _capitalize = false;
        }
        _length += text.Length;
    }

    private void Append(char c)
    {
        EnsureCapacity(1);
        _buffer[_length++] = c;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }

    private void Flush()
    {
        if (_length > 0)
        {
            _xml.WriteChars(_buffer, 0, _length);
            _length = 0;
        }
    }

    // ---- XML helpers -------------------------------------------------------------------------------------

    private void Start(string name) => _xml.WriteStartElement(name, Tei);

    // An empty string marks the element as mixed content, so the indenting writer adds no white space inside it
    // (which a reader would take as a leading space of the paragraph, head or note).
    private void StartMixed(string name)
    {
        _xml.WriteStartElement(name, Tei);
        _xml.WriteString(string.Empty);
    }

    private void End() => _xml.WriteEndElement();

    private void Empty(string name)
    {
        _xml.WriteStartElement(name, Tei);
        _xml.WriteEndElement();
    }

    private void XmlId(string id) => _xml.WriteAttributeString("xml", "id", null, id);

    private void Element(string name, string text, string? attribute = null, string? value = null)
    {
        _xml.WriteStartElement(name, Tei);
        if (attribute == "xml:id")
        {
            XmlId(value!);
        }
        else if (attribute is not null)
        {
            _xml.WriteAttributeString(attribute, value);
        }
        _xml.WriteString(text);
        _xml.WriteEndElement();
    }

    private void Hi(string rend, string text)
    {
        _xml.WriteStartElement("hi", Tei);
        _xml.WriteAttributeString("rend", rend);
        _xml.WriteString(text);
        _xml.WriteEndElement();
    }

    private void Gloss(string type, string text)
    {
        _xml.WriteStartElement("gloss", Tei);
        _xml.WriteAttributeString("type", type);
        _xml.WriteString(text);
        _xml.WriteEndElement();
    }

    private enum DocumentKind
    {
        Telegram,
        MemorandumOfConversation,
        Memorandum,
        Letter,
        Despatch,
        EditorialNote,
        Airgram,
        Instruction,
        EmbassyNote,
        Paper,
    }

    private enum RoleKind
    {
        Secretary,
        UnderSecretary,
        Official,
        Envoy,
        Counselor,
        ForeignMinister,
        ForeignEnvoy,
    }

    private enum EditorialMarkKind
    {
        Sic,
        Garble,
        Query,
        Period,
    }

    private enum ExcisionKind
    {
        LessThanLine,
        Lines,
        Name,
        Paragraphs,
        None,
    }

    private sealed record VolumePerson(string Id, SampleName Name, string Role, int Country, RoleKind Kind);

    private readonly record struct PrintedTelegram(int Number, int Document, DateTime Date);

    /// <summary>
    /// One post's telegrams in one direction for one year. Numbers run with the day of the year, as real series
    /// did, so a citation of an earlier telegram has a lower number.
    /// </summary>
    private sealed class TelegramSeries(int perDay)
    {
        private readonly HashSet<int> _used = [];

        public List<PrintedTelegram> Printed { get; } = [];

        /// <summary>A number not yet used in the series, near the day's place in the year.</summary>
        public int Reserve(DateTime date, SampleRandom random)
        {
            var n = (date.DayOfYear - 1) * perDay + 1 + random.Next(perDay);
            while (!_used.Add(n))
            {
                n++;
            }
            return n;
        }

        /// <summary>A printed telegram of the last six weeks before <paramref name="date"/>, if any.</summary>
        public PrintedTelegram? RecentBefore(DateTime date, int beforeDocument, SampleRandom random)
        {
            PrintedTelegram? found = null;
            var seen = 0;
            for (var i = Printed.Count - 1; i >= 0 && seen < 40; i--, seen++)
            {
                var p = Printed[i];
                if (p.Date <= date && p.Date >= date.AddDays(-42) && p.Document < beforeDocument && (found is null || random.Chance(0.3)))
                {
                    found = p;
                }
            }
            return found;
        }
    }
}
