namespace Chancery.Cli.Tests;

/// <summary>links, links report, thread, file, person and graph over the seed, the sample volume and POCOM.</summary>
public sealed class LinkCommandTests : IDisposable
{
    private readonly TempArchive archive = new();

    public void Dispose() => archive.Dispose();

    private static string Pocom => Path.Combine(Sources.Shared, "corpus", "pocom");

    private void Ingest(params string[] args) => Assert.Equal(0, archive.Run(["ingest", .. args]).ExitCode);

    private void IngestSeedReleased() => Ingest(Sources.SeedTelegram, "--volume", "frus1945Berlinv01", "--released");

    [Fact]
    public void LinksOfTheSeedCiteDocument577AndTheTwoTelegramsUnresolvedWithTheirDates()
    {
        IngestSeedReleased();

        var r = archive.Run("links", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(0, """
            frus1945Berlinv01#d578 cites (3):
              document frus1945Berlinv01#d577 → unresolved: d577 of frus1945Berlinv01 is not in the archive (only loose telegrams of that volume are)
                  “See document No. 577” (footnote 2)
              telegram 120015 (July 11–12) → unresolved: no telegram numbered 120015 in the archive; the edition points to frus1945Berlinv01#d577 for 2 numbers
                  “numbers 120015 and 120755, July 11” (body)
              telegram 120755 (July 11–12) → unresolved: no telegram numbered 120755 in the archive; the edition points to frus1945Berlinv01#d577 for 2 numbers
                  “numbers 120015 and 120755, July 11” (body)
            cited by (0):
              nothing

            """, ""), r);
    }

    [Fact]
    public void LinksOfADocumentThePublicMayNotSeeSayNotFoundLikeShow()
    {
        Ingest(Sources.SeedTelegram, "--volume", "frus1945Berlinv01");

        var r = archive.Run("links", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(3, "", "chancery: no document frus1945Berlinv01#d578 (see `chancery volumes` or search for it)\n"), r);
    }

    [Fact]
    public void ALinkToADocumentThePublicMayNotSeeIsShownAsWithheld()
    {
        Ingest(Repository.SampleVolume, Sources.SeedTelegram, "--volume", "frus1945Berlinv01");

        var r = archive.Run("links", "frus-sample-1945#d1");

        Assert.Equal(new CliResult(0, """
            frus-sample-1945#d1 cites (3):
              document frus-sample-1945#d3 → frus-sample-1945#d3 (1945-07-03) The Ambassador in the Soviet Union (Crane) to the Secretary of State
                  “document 3” (body)
              document frus1945Berlinv01#d578 → document withheld
                  “Foreign Relations, The Conference of Berlin (Potsdam), 1945, volume I, document 578” (body)
              page frus-sample-1945#pg_5 → frus-sample-1945#d11 (1945-07-11) The Ambassador in the Soviet Union (Crane) to the Secretary of State
                  “page 5” (body)
            cited by (0):
              nothing

            """, ""), r);
    }

    [Fact]
    public void LinksWithoutAnIdSayWhatIsNeeded()
    {
        var r = archive.Run("links");

        Assert.Equal(new CliResult(2, "", "chancery: links needs a document ID (or `chancery links report` for the per-volume summary)\n"), r);
    }

    [Fact]
    public void ThreadPrintsTheTelegramsCitingEachOtherAsATimeline()
    {
        Ingest(Repository.SampleVolume);

        var r = archive.Run("thread", "frus-sample-1945#d18");

        Assert.Equal(new CliResult(0, """
            thread of frus-sample-1945#d18: 6 documents
            1945-07-01  Secretary of State → Crane  No. 1422  frus-sample-1945#d2
                        1422. Department is informed that some forty self-propelled barges and six tugs of Austrian and Hungarian registry are lying idle at Budapest under Soviet guard…
            1945-07-03  Crane → Secretary of State  No. 2617  frus-sample-1945#d3
                        2617. I saw Orlanov this afternoon and left with him an informal memorandum on the lines of Deptel 1422, July 1. He listened attentively and said that the craft…
            1945-07-05  Crane → Secretary of State  No. 2688  frus-sample-1945#d4
                        2688. Reference Deptel 1422, July 1, and mytel 2617, July 3. Foreign Office this morning handed a member of my staff a note verbale stating that the Soviet Gove…
            1945-07-11  Secretary of State → Crane  No. 1480  frus-sample-1945#d10
                        1480. Embtel 2617, July 3, and urtel 2688, July 5. The Secretary agrees that the river question should not be pressed further in Moscow before the meeting. You…
            1945-07-14  Crane → Secretary of State  No. 2801  frus-sample-1945#d18
                        2801. Deptel 1480, July 11. I informed the Foreign Office yesterday that we accept the examination of river transport at Vienna as an interim measure. The offic…
            1945-07-18  Crane → Secretary of State  No. 2840  frus-sample-1945#d23
                        2840. Orlanov sent for me this morning and said that his Government was prepared to allow twelve of the Austrian barges at Budapest to be used for relief shipme…

            """, ""), r);
    }

    [Fact]
    public void ThreadOfASingleTelegramSaysNothingCitesIt()
    {
        IngestSeedReleased();

        var r = archive.Run("thread", "frus1945Berlinv01#d578");

        Assert.Equal(new CliResult(0, """
            thread of frus1945Berlinv01#d578: 1 document
            1945-07-13  The Ambassador in the Soviet Union (Harriman) → the President and the Secretary of State  frus1945Berlinv01#d578
                        Soong saw Stalin and Molotov again last night (Thursday) and outlined the maximum concessions he was authorized to make along the lines of my last message (numb…
            (no telegram in the archive cites this one or is cited by it)

            """, ""), r);
    }

    [Fact]
    public void ThreadOfAMissingDocumentSaysNotFound()
    {
        IngestSeedReleased();

        var r = archive.Run("thread", "frus1945Berlinv01#d1");

        Assert.Equal(new CliResult(3, "", "chancery: no document frus1945Berlinv01#d1 (see `chancery volumes` or search for it)\n"), r);
    }

    [Fact]
    public void FileDecodesTheNumberInBothSchemesAndListsTheSeed()
    {
        IngestSeedReleased();

        var r = archive.Run("file", "761.93");

        Assert.Equal(new CliResult(0, """
            761.93 (1910–1949): Political relations between states: USSR – China
            761.93 (1950–1963): Internal political and national defense affairs: USSR; unknown subject .93
            1 document filed under 761.93:
              1945-07-13  frus1945Berlinv01#d578  The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State
                  761.93/7–1345: Political relations between states: USSR – China, 13 July 1945

            """, ""), r);
    }

    [Fact]
    public void FileWithADatedNumberReadsItInItsOwnScheme()
    {
        IngestSeedReleased();

        var r = archive.Run("file", "890F.7962/12–1848");

        Assert.Equal(new CliResult(0, """
            890F.7962/12–1848: Internal affairs of states: Saudi Arabia — Aviation, 18 December 1948
            0 documents filed under 890F.7962/12–1848:

            """, ""), r);
    }

    [Fact]
    public void PersonHarrimanIsTheAmbassadorToTheSovietUnionFromPocomAndTheSeedsSender()
    {
        IngestSeedReleased();
        Ingest(Pocom);

        var r = archive.Run("person", "Harriman");

        Assert.Equal(new CliResult(0, """
            Harriman, William Averell (harriman-william-averell)
            also: William Averell Harriman; W. Averell Harriman
            posts (POCOM harriman-william-averell):
              Ambassador to the Soviet Union (1943–1946)
              Ambassador to the United Kingdom (1946)
              Director of the Mutual Security Agency (1951–1953)
              Ambassador at Large (1961)
              Assistant Secretary of State for East Asian and Pacific Affairs (1961–1963)
              Under Secretary of State for Political Affairs (1963–1965)
              Ambassador at Large (1965–1969)
            sent (1):
              1945-07-13  frus1945Berlinv01#d578  The Ambassador in the Soviet Union (Harriman) to the President and the Secretary of State
            received (0):
            mentioned in (0):

            """, ""), r);
    }

    [Fact]
    public void PersonLeavesOutTheDocumentsThePublicMayNotSee()
    {
        Ingest(Sources.SeedTelegram, "--volume", "frus1945Berlinv01");
        Ingest(Pocom);

        var r = archive.Run("person", "W.", "Averell", "Harriman");

        Assert.Equal((0, "sent (0):"), (r.ExitCode, r.Out.Split('\n')[10]));
    }

    [Fact]
    public void AnUnknownPersonIsNotFound()
    {
        IngestSeedReleased();

        var r = archive.Run("person", "Nobody");

        Assert.Equal(new CliResult(3, "", "chancery: no person Nobody: the people here are those of the volumes' persons lists and POCOM (try the surname alone, a persons-list id such as frus1945Berlinv01#p_HWA1, or `chancery search '\"Nobody\"'` for the name in the text)\n"), r);
    }

    [Fact]
    public void IngestOfThePocomFolderSaysHowManyOfficialsItRead()
    {
        var r = archive.Run("ingest", Pocom);

        Assert.Equal((0, $"{Pocom}: 4261 officials from POCOM"), (r.ExitCode, r.Out.Split('\n')[0]));
    }

    [Fact]
    public void IngestBuildsTheLinksOnceAtTheEndOfTheRun()
    {
        var r = archive.Run("ingest", Repository.SampleVolume, Sources.SeedTelegram, "--volume", "frus1945Berlinv01", "--json");

        var links = System.Text.Json.JsonDocument.Parse(r.Out).RootElement.GetProperty("links");
        Assert.Equal((37, 15), (links.GetProperty("references").GetInt32(), links.GetProperty("people").GetInt32()));
    }

    [Fact]
    public void LinksReportGivesPerVolumeTheShareOfTargetsThatResolveAfterTheDemo()
    {
        Assert.Equal(0, archive.Run("demo", "--no-serve").ExitCode);

        var r = archive.Run("links", "report");

        Assert.Equal(new CliResult(0, """
            VOLUME             TARGETS  IN ARCHIVE  RESOLVED   SHARE  TELEGRAMS  FOUND  NOT PRINTED  AMBIGUOUS  UNRESOLVED
            frus-sample-1945        22          19        19  100.0%         12     11            1          0           0
            frus1945Berlinv01        0           0         0       -          2      0            0          0           2
            (TARGETS: ref/@target links; IN ARCHIVE: those pointing into volumes ingested whole; SHARE: resolved of those)

            """, ""), r);
    }

    [Fact]
    public void LinksReportLeavesOutTheLinksOfDocumentsThePublicMayNotSee()
    {
        Ingest(Sources.SeedTelegram, "--volume", "frus1945Berlinv01");

        var r = archive.Run("links", "report");

        Assert.Equal(new CliResult(0, "no links: the archive holds no document you may see that cites anything\n", ""), r);
    }

    [Fact]
    public void GraphAsGraphmlIsUtf8WithTheWroteToEdge()
    {
        IngestSeedReleased();

        var r = archive.Run("graph", "--format", "graphml");

        var xml = System.Xml.Linq.XDocument.Parse(r.Out);
        System.Xml.Linq.XNamespace g = "http://graphml.graphdrawing.org/xmlns";
        Assert.Equal(("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "party:the ambassador in the soviet union (harriman)", "party:the president and the secretary of state"),
            (r.Out.Split('\n')[0], (string?)xml.Descendants(g + "edge").Single().Attribute("source"), (string?)xml.Descendants(g + "edge").Single().Attribute("target")));
    }

    [Fact]
    public void GraphRefusesAnUnknownFormat()
    {
        var r = archive.Run("graph", "--format", "dot");

        Assert.Equal(2, r.ExitCode);
    }

    // The sample volume's Crane and Quill: two people the index keeps apart, merged here by an editor.
    private void IngestSampleWithEditor()
    {
        Ingest(Repository.SampleVolume);
        Assert.Equal(0, archive.Run("users", "add", "ada", "--clearance", "unclassified").ExitCode);
    }

    private string[] PersonLines(string id) => archive.Run("person", id).Out.Split('\n');

    [Fact]
    public void PersonMergeJoinsTwoPersonsAndSaysWhatTheyNowAre()
    {
        IngestSampleWithEditor();

        var r = archive.Run("--as", "ada", "person", "merge", "frus-sample-1945#p_CHH1", "frus-sample-1945#p_QRT1", "--reason", "one man");

        Assert.Equal(new CliResult(0, "merged frus-sample-1945#p_CHH1 and frus-sample-1945#p_QRT1: now Crane, Hollister H. (crane-hollister-h), 2 persons-list entries\n", ""), r);
    }

    [Fact]
    public void PersonAfterAMergeListsBothEntriesAndTheEditorsDecision()
    {
        IngestSampleWithEditor();
        Assert.Equal(0, archive.Run("--as", "ada", "person", "merge", "crane-hollister-h", "frus-sample-1945#p_QRT1", "--reason", "one man").ExitCode);

        var lines = PersonLines("frus-sample-1945#p_QRT1");

        Assert.Equal(
            [
                "Crane, Hollister H. (crane-hollister-h)",
                "also: Quill, Robert T.",
                "in the persons lists:",
                "  frus-sample-1945#p_CHH1: Crane, Hollister H., Ambassador in the Soviet Union",
                "  frus-sample-1945#p_QRT1: Quill, Robert T., Ambassador in the United Kingdom",
            ],
            lines[..5]);
        Assert.Equal(["editors:", "  merged by ada: one man"], lines[5..7]);
    }

    [Fact]
    public void PersonSplitTakesAnEntryOutOfThePersonItWasJoinedTo()
    {
        IngestSampleWithEditor();
        Assert.Equal(0, archive.Run("--as", "ada", "person", "merge", "crane-hollister-h", "frus-sample-1945#p_QRT1", "--reason", "one man").ExitCode);

        var r = archive.Run("--as", "ada", "person", "split", "crane-hollister-h", "frus-sample-1945#p_QRT1", "--reason", "two men after all");

        Assert.Equal(new CliResult(0, "split frus-sample-1945#p_QRT1 from crane-hollister-h: now Quill, Robert T. (quill-robert-t)\n", ""), r);
        Assert.Equal(["Quill, Robert T. (quill-robert-t)", "in the persons lists:"], PersonLines("frus-sample-1945#p_QRT1")[..2]);
        Assert.Equal(["editors:", "  split by ada: two men after all"], PersonLines("frus-sample-1945#p_QRT1")[3..5]);
    }

    [Fact]
    public void PersonMergeAsThePublicIsRefused()
    {
        Ingest(Repository.SampleVolume);

        var r = archive.Run("person", "merge", "frus-sample-1945#p_CHH1", "frus-sample-1945#p_QRT1", "--reason", "one man");

        Assert.Equal(new CliResult(2, "", "chancery: merging and splitting persons is for named editors: run it as one with --as NAME\n"), r);
    }

    [Fact]
    public void PersonMergeOfAnUnknownIdIsAOneLineError()
    {
        IngestSampleWithEditor();

        var r = archive.Run("--as", "ada", "person", "merge", "frus-sample-1945#p_CHH1", "nobody-at-all", "--reason", "one man");

        Assert.Equal(new CliResult(2, "", "chancery: no person nobody-at-all (give an index id such as harriman-william-averell or a persons-list id such as frus1945Berlinv01#p_HWA1)\n"), r);
    }
}
