// Tables for decoding State Department Central Decimal File numbers (RG 59, 1910–January 1963).
//
// Sources used:
//  * National Archives, "Central Decimal Files, 1910-1963" (Research at the National Archives),
//    https://www.archives.gov/research/foreign-policy/state-dept/rg-59-central-files/1910-1963
//    — the two schemes (1910–49 and 1950–Jan 1963), country numbers as two digits with an optional letter,
//    11 = United States, Saudi Arabia 90F (1910–49) and 86A (1950–63).
//  * National Archives, "Civilian Agency Records RG 59: General Records of the Department of State",
//    https://archives.gov/research/holocaust/finding-aid/civilian/rg-59.html
//    — classes 0–8 of the old scheme; worked examples 854.51/391 (54 Switzerland, .51 financial affairs),
//    462.11/3-2345 (claims, 62 Germany, 11 United States, 23 March 1945) and 740.0011 (World War II:
//    40 Europe, 00 the world, 11 war).
//  * "RG 59 Department of State, Classification of Correspondence, Aug 1910 – Dec 1949" (1910–49 Central
//    Decimal File filing manual), https://docslib.org/doc/7864004/decimal-file-filing-manual-1910-1949
//    — class summary (000–190 subject heads, classes 2–8) and the class 8 subject groups 8**.00–8**.90.
//  * Department of State, "Records Codification Manual" (adopted 1 January 1950, revised 1955 and 1960),
//    https://docslib.org/doc/497918/records-codification-manual-prepared-by-the-office-of and
//    https://docslib.org/doc/2847432/decimal-file-filing-manual-1960-january-1963 — classes 0–9 of the
//    1950–63 scheme and 000/006/010.
//
// The search tool returned only the opening pages of these guides, not the country-number appendix
// (NARA microfilm M-973 guide / filing manual list). The country tables and most subject subdivisions below are
// therefore built from best knowledge of how the numbers are used in FRUS source notes, and are NOT a transcription
// of the guide. Unmarked entries are either stated by the sources above or are numbers in constant use in FRUS
// citations (761.93, 793.94, 893.00, 862.00, 851.00, 711.61 …). Country codes first written from memory were checked
// against the file numbers FRUS prints with documents whose heads name the country (the 101 volumes of the test
// corpus); each such entry names its evidence. Codes with no such evidence were taken out and decode as unknown
// (Philippine Islands 11B, Canal Zone 11F, New Zealand 47H, South Africa 48A, Iceland 59A, Greenland 59B,
// Estonia 60I, Lithuania 60M, Latvia 60P, Vatican 66A in 1910–49; 40A, 43, 44, 46E, 67, 69, 76, 86 in 1950–63);
// the 1950–63 code 90, written as "South Asia", is the Far East in FRUS usage. Subject subdivisions still marked
// "// ?" are uncertain: the decoder names them, and the guide's appendix was not available to check them.
//
// Note for reviewers: the brief listed "83 Brazil"; in the 1910–49 scheme Brazil is 32 (832.00, 711.32) and
// 83 is Egypt (883.00), so the tables follow that.

namespace Chancery.Core.Files;

/// <summary>How a class files its papers, which decides what the digits after the dot mean.</summary>
internal enum Arrangement
{
    /// <summary>Subject heads (000–190, conferences): the two digits after the class are a subject, not a country.</summary>
    Subject,

    /// <summary>Relations of two countries: country before the dot, the other country first after it (761.93).</summary>
    Bilateral,

    /// <summary>Affairs within one country: country before the dot, subject after it (893.00, 890F.7962).</summary>
    Internal,
}

/// <summary>One scheme's tables.</summary>
internal sealed class SchemeTables
{
    public required IReadOnlyDictionary<char, string> Classes { get; init; }
    public required IReadOnlyDictionary<char, Arrangement> Arrangements { get; init; }
    public required IReadOnlyDictionary<string, string> Countries { get; init; }

    /// <summary>Subject heads for subject-arranged classes, keyed by the three-digit head (e.g. "120").</summary>
    public required IReadOnlyDictionary<string, string> SubjectHeads { get; init; }

    /// <summary>Whole-number special files, matched by longest prefix of the subject (e.g. "740.0011").</summary>
    public required IReadOnlyDictionary<string, string> SpecialFiles { get; init; }

    /// <summary>Bilateral subdivisions when the second country is "00" (general), keyed by the part after the dot.</summary>
    public required IReadOnlyDictionary<char, IReadOnlyDictionary<string, string>> BilateralGeneral { get; init; }

    /// <summary>Internal-affairs subjects per class, keyed by the part after the dot, longest prefix wins.</summary>
    public required IReadOnlyDictionary<char, IReadOnlyDictionary<string, string>> InternalSubjects { get; init; }

    /// <summary>Internal-affairs subject groups per class, keyed by the first digit after the dot (8**.70 → '7').</summary>
    public required IReadOnlyDictionary<char, IReadOnlyDictionary<char, string>> InternalGroups { get; init; }
}

/// <summary>The decimal file tables for both schemes.</summary>
internal static class DecimalFileTables
{
    private static readonly Dictionary<string, string> NoStrings = [];
    private static readonly Dictionary<char, string> NoGroups = [];

    /// <summary>Country numbers common to both schemes (those that did not move in 1950).</summary>
    private static readonly (string Code, string Name)[] SharedCountries =
    [
        ("10", "American republics"), // the 710/810 "Pan America" files
        ("11", "United States"),
        ("12", "Mexico"),
        ("13", "Central America"),
        ("14", "Guatemala"),
        ("15", "Honduras"),
        ("16", "El Salvador"),
        ("17", "Nicaragua"),
        ("18", "Costa Rica"),
        ("19", "Panama"),
        ("21", "Colombia"),
        ("22", "Ecuador"),
        ("23", "Peru"),
        ("24", "Bolivia"),
        ("25", "Chile"),
        ("31", "Venezuela"),
        ("32", "Brazil"),
        ("33", "Uruguay"),
        ("34", "Paraguay"),
        ("35", "Argentina"),
        ("37", "Cuba"),
        ("38", "Haiti"),
        ("39", "Dominican Republic"),
        ("40", "Europe"),
        ("41", "Great Britain"),
        ("42", "Canada"),
        ("51", "France"),
        ("51G", "French Indochina"),
        ("52", "Spain"),
        ("53", "Portugal"),
        ("54", "Switzerland"),
        ("55", "Belgium"),
        ("55A", "Belgian Congo"), // FRUS 1958–60 XIV, editorial note: the Congo's files before independence are 755A.00 and 855A.00
        ("56", "Netherlands"),
        ("57", "Norway"),
        ("58", "Sweden"),
        ("59", "Denmark"),
        ("61", "USSR"), // "Russia" in the pre-1922 files; FRUS readers know it as the USSR
        ("62", "Germany"),
        ("63", "Austria"),
        ("64", "Hungary"),
        ("65", "Italy"),
        ("92", "Thailand"), // "Siam" until 1939
        ("93", "China"),
        ("94", "Japan"),
        ("95", "Korea"),
    ];

    /// <summary>Country numbers of the 1910–49 scheme only.</summary>
    private static readonly (string Code, string Name)[] Countries1910To1949Only =
    [
        ("41D", "Ireland"), // Irish Free State
        ("45", "India"),
        ("47", "Australia"),
        ("56D", "Netherlands East Indies"),
        ("60C", "Poland"),
        ("60D", "Finland"),
        ("60F", "Czechoslovakia"),
        ("60H", "Yugoslavia"),
        ("67", "Turkey"),
        ("67N", "Palestine"),
        ("68", "Greece"),
        ("71", "Rumania"),
        ("74", "Bulgaria"),
        ("75", "Albania"),
        ("81", "Morocco"),
        ("82", "Liberia"),
        ("83", "Egypt"),
        ("84", "Ethiopia"),
        ("90D", "Syria"),
        ("90E", "Lebanon"),
        ("90F", "Saudi Arabia"),
        ("90G", "Iraq"),
        ("90H", "Afghanistan"),
        ("91", "Iran"), // "Persia" until 1935
    ];

    /// <summary>Country numbers of the 1950–63 scheme only (the Near East, Eastern Europe and Asia were renumbered).</summary>
    private static readonly (string Code, string Name)[] Countries1950To1963Only =
    [
        ("40B", "Iceland"), // FRUS 1958–60 VII/2: 740B.022 on the Icelandic fisheries limits
        ("45A", "Union of South Africa"), // FRUS 1958–60 XIV: 645A.00 on a telegram from the Embassy in South Africa
        ("45J", "Ghana"), // FRUS 1958–60 XIV: 645J.00 on a telegram from the Embassy in Ghana
        ("46G", "Hong Kong"), // FRUS 1951 VII/2: 446G.119 on a circular to Hong Kong
        ("47C", "Cyprus"), // FRUS 1955–57 XXIV: 747C.00 in the Cyprus dispute
        ("48", "Poland"),
        ("49", "Czechoslovakia"),
        ("51H", "Cambodia"), // FRUS 1955–57 I: 751H.00; 1958–60 I: 651H.51K (Cambodia–Vietnam) from Saigon
        ("51J", "Laos"), // FRUS 1961–63 II and V: 751J.00 in the Laos crisis
        ("51K", "Vietnam"), // FRUS 1958–60 I: 751K.5 on a despatch from the Ambassador in Vietnam
        ("51S", "Algeria"), // FRUS 1958–60 XIII and 1961–63 XXI: 751S.00 in the Algerian war
        ("56D", "Indonesia"),
        ("60E", "Finland"), // FRUS 1958–60 X/2: 760E.00 on a telegram from the Embassy in Finland
        ("62A", "Federal Republic of Germany"),
        ("62B", "German Democratic Republic"),
        ("66", "Rumania"),
        ("68", "Yugoslavia"),
        ("70", "Africa"), // FRUS 1958–60 XIII: 770.00 on Africa-wide telegrams
        ("71", "Morocco"), // FRUS 1958–60 XIII: 771.5-MSP on a telegram to the Embassy in Morocco
        ("72", "Tunisia"), // FRUS 1958–60 XIII: 772.5-MSP on a telegram to the Embassy in Tunisia
        ("73", "Libya"), // FRUS 1961–63 XXI: 773.56311 on a telegram to the Embassy in Tripoli, Libya
        ("74", "Egypt"),
        ("75", "Ethiopia"), // FRUS 1961–63 XXI: 775.5 on a telegram to the Embassy in Ethiopia
        ("80", "Near East"),
        ("81", "Greece"),
        ("82", "Turkey"),
        ("83", "Syria"),
        ("83A", "Lebanon"),
        ("84A", "Israel"),
        ("85", "Jordan"),
        ("86A", "Saudi Arabia"),
        ("87", "Iraq"),
        ("88", "Iran"),
        ("89", "Afghanistan"), // FRUS 1961–63 XIX: 789.5-MSP on an airgram from the Embassy in Afghanistan
        ("90", "Far East"), // FRUS 1952–54 XII/2 and XIV/2: 790.00 and 790.5 on Far Eastern affairs (POLAD Japan, FE)
        ("90B", "Burma"), // FRUS 1952–54 XII/2: 790B.00 repeated to Rangoon
        ("90D", "Pakistan"),
        ("91", "India"),
        ("94A", "Formosa (Taiwan)"), // FRUS 1951 VII/2 and 1955–57 II: 794A.5 on Formosa
        ("96", "Philippines"),
    ];

    /// <summary>The 1910–49 Central Decimal File.</summary>
    public static SchemeTables CentralDecimalFile1910To1949 { get; } = new()
    {
        // Class names follow the 1910–49 manual's summary; class 7 is worded as the NARA finding aid words it.
        Classes = new Dictionary<char, string>
        {
            ['0'] = "General and miscellaneous",
            ['1'] = "Administration of the United States Government",
            ['2'] = "Extradition",
            ['3'] = "Protection of interests",
            ['4'] = "Claims",
            ['5'] = "Congresses and conferences; multilateral treaties; League of Nations",
            ['6'] = "Commerce, customs administration and commercial relations",
            ['7'] = "Political relations between states",
            ['8'] = "Internal affairs of states",
        },
        Arrangements = new Dictionary<char, Arrangement>
        {
            ['0'] = Arrangement.Subject,
            ['1'] = Arrangement.Subject,
            ['2'] = Arrangement.Bilateral, // country asked to surrender, then demanding country
            ['3'] = Arrangement.Bilateral, // country where protection is sought, then nationality of interest
            ['4'] = Arrangement.Bilateral, // country the claim lies against, then nationality of claim
            ['5'] = Arrangement.Subject,
            ['6'] = Arrangement.Bilateral,
            ['7'] = Arrangement.Bilateral,
            ['8'] = Arrangement.Internal,
        },
        Countries = Merge(SharedCountries, Countries1910To1949Only),
        SubjectHeads = new Dictionary<string, string>
        {
            ["000"] = "General",
            ["010"] = "Transitory matters",
            ["020"] = "Publications",
            ["030"] = "Expeditions, tours, visits",
            ["050"] = "Pouch services",
            ["080"] = "Letters rogatory, judgments and decrees",
            ["090"] = "Miscellaneous",
            ["100"] = "Administration, United States Government",
            ["110"] = "Department of State",
            ["120"] = "Foreign Service",
            ["123"] = "Foreign Service officers' personnel files", // ?
            ["130"] = "Citizenship",
            ["140"] = "Documentation of merchandise under customs laws",
            ["150"] = "Immigration; quarantine",
            ["160"] = "Assistance to American export trade",
            ["170"] = "Extraterritorial jurisdiction",
            ["190"] = "Miscellaneous administrative matters",
        },
        SpecialFiles = new Dictionary<string, string>
        {
            ["740.0011"] = "European War, 1939 (World War II)",
            ["740.00111"] = "European War, 1939 (World War II): neutrality", // ?
            ["740.00112"] = "European War, 1939 (World War II): economic warfare", // ?
            ["740.00114"] = "European War, 1939 (World War II): prisoners of war", // ?
            ["740.00115"] = "European War, 1939 (World War II): civilians and internees", // ?
            ["740.00116"] = "European War, 1939 (World War II): war crimes", // ?
            ["740.00119"] = "European War, 1939 (World War II): armistice and peace settlement", // ?
            ["500.C"] = "League of Nations", // ?
            ["501.BB"] = "United Nations", // ?
        },
        BilateralGeneral = new Dictionary<char, IReadOnlyDictionary<string, string>>
        {
            ['7'] = new Dictionary<string, string>
            {
                ["00"] = "General political relations",
                ["0011"] = "War", // per NARA: 740.0011 = Europe, 00 the world, 11 war
            },
        },
        InternalSubjects = new Dictionary<char, IReadOnlyDictionary<string, string>>
        {
            ['8'] = new Dictionary<string, string>
            {
                ["00"] = "Political affairs",
                ["00B"] = "Communist activities", // ?
                ["001"] = "Chief executive", // ?
                ["002"] = "Cabinet", // ?
                ["01"] = "Government",
                ["20"] = "Military affairs",
                ["24"] = "Munitions and war supplies", // ?
                ["30"] = "Naval affairs",
                ["40"] = "Social matters",
                ["4016"] = "Race problems", // ?
                ["404"] = "Religion", // ?
                ["48"] = "Calamities, disasters, relief",
                ["50"] = "Economic matters",
                ["51"] = "Financial affairs",
                ["5151"] = "Foreign exchange", // ?
                ["60"] = "Industrial matters",
                ["61"] = "Agriculture", // ?
                ["6363"] = "Petroleum", // ?
                ["70"] = "Communication and transportation",
                ["77"] = "Railways", // ?
                ["796"] = "Aviation", // ?
                ["80"] = "Navigation",
                ["90"] = "Other internal affairs",
            },
        },
        // The manual's own grouping of class 8: 8**.00 … 8**.90.
        InternalGroups = new Dictionary<char, IReadOnlyDictionary<char, string>>
        {
            ['8'] = new Dictionary<char, string>
            {
                ['0'] = "Political affairs",
                ['1'] = "Public order, safety, health, works; charities",
                ['2'] = "Military affairs",
                ['3'] = "Naval affairs",
                ['4'] = "Social matters",
                ['5'] = "Economic matters",
                ['6'] = "Industrial matters",
                ['7'] = "Communication and transportation",
                ['8'] = "Navigation",
                ['9'] = "Other internal affairs",
            },
        },
    };

    /// <summary>The 1950–January 1963 revision (Records Codification Manual).</summary>
    public static SchemeTables CentralDecimalFile1950To1963 { get; } = new()
    {
        Classes = new Dictionary<char, string>
        {
            ['0'] = "Miscellaneous",
            ['1'] = "Administration of the United States Government",
            ['2'] = "Protection of interests (persons and property)",
            ['3'] = "International conferences, congresses, meetings and organizations; multilateral treaties",
            ['4'] = "International trade and commerce",
            ['5'] = "International informational and educational relations; cultural affairs",
            ['6'] = "International political relations",
            ['7'] = "Internal political and national defense affairs",
            ['8'] = "Internal economic, industrial and social affairs",
            ['9'] = "Other internal affairs: communications, transportation, science",
        },
        // The manual: classes 0–2 administrative, 3–6 international relations, 7–9 internal affairs.
        Arrangements = new Dictionary<char, Arrangement>
        {
            ['0'] = Arrangement.Subject,
            ['1'] = Arrangement.Subject,
            ['2'] = Arrangement.Bilateral,
            ['3'] = Arrangement.Subject,
            ['4'] = Arrangement.Bilateral,
            ['5'] = Arrangement.Bilateral,
            ['6'] = Arrangement.Bilateral,
            ['7'] = Arrangement.Internal,
            ['8'] = Arrangement.Internal,
            ['9'] = Arrangement.Internal,
        },
        Countries = Merge(SharedCountries, Countries1950To1963Only),
        SubjectHeads = new Dictionary<string, string>
        {
            ["000"] = "General; unclassifiable correspondence",
            ["006"] = "Precedent index",
            ["010"] = "Matters transmitted through facilities of the Department",
            ["030"] = "Visits", // ?
            ["110"] = "Department of State", // ?
            ["120"] = "Foreign Service", // ?
            ["123"] = "Foreign Service personnel files", // ?
            ["310"] = "United Nations", // ?
            ["320"] = "United Nations General Assembly", // ?
            ["330"] = "United Nations Security Council", // ?
            ["340"] = "United Nations Economic and Social Council", // ?
        },
        SpecialFiles = NoStrings,
        BilateralGeneral = new Dictionary<char, IReadOnlyDictionary<string, string>>
        {
            ['6'] = new Dictionary<string, string>
            {
                ["00"] = "General political relations",
            },
        },
        InternalSubjects = new Dictionary<char, IReadOnlyDictionary<string, string>>
        {
            ['7'] = new Dictionary<string, string>
            {
                ["00"] = "Political affairs and conditions",
                ["001"] = "Communism", // ?
                ["02"] = "Recognition", // ?
                ["11"] = "Chief executive", // ?
                ["5"] = "National defense affairs", // ?
                ["56"] = "Military bases and installations", // ?
            },
            ['8'] = new Dictionary<string, string>
            {
                ["2553"] = "Petroleum", // ?
            },
        },
        InternalGroups = new Dictionary<char, IReadOnlyDictionary<char, string>>(),
    };

    /// <summary>Internal-affairs subjects for a class, or an empty table.</summary>
    public static IReadOnlyDictionary<string, string> InternalSubjectsFor(SchemeTables tables, char classDigit) =>
        tables.InternalSubjects.TryGetValue(classDigit, out var table) ? table : NoStrings;

    /// <summary>Internal-affairs groups for a class, or an empty table.</summary>
    public static IReadOnlyDictionary<char, string> InternalGroupsFor(SchemeTables tables, char classDigit) =>
        tables.InternalGroups.TryGetValue(classDigit, out var table) ? table : NoGroups;

    /// <summary>Bilateral "general" subdivisions for a class, or an empty table.</summary>
    public static IReadOnlyDictionary<string, string> BilateralGeneralFor(SchemeTables tables, char classDigit) =>
        tables.BilateralGeneral.TryGetValue(classDigit, out var table) ? table : NoStrings;

    private static Dictionary<string, string> Merge((string Code, string Name)[] shared, (string Code, string Name)[] own)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in shared)
        {
            merged.Add(code, name);
        }

        foreach (var (code, name) in own)
        {
            // Add, not indexer: a code listed in both the shared and the scheme table is a mistake worth failing on.
            merged.Add(code, name);
        }

        return merged;
    }
}
