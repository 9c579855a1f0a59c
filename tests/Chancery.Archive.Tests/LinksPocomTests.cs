using Chancery.Core.People;
using Chancery.Ingest;
using Chancery.Ingest.Pocom;

namespace Chancery.Archive.Tests;

/// <summary>The POCOM reader on the real data (<c>shared/corpus/pocom</c>) and on broken input.</summary>
public sealed class LinksPocomTests
{
    private static readonly Lazy<IReadOnlyList<Official>> Officials = new(() => PocomReader.ReadFolder(Folder()));

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var pocom = Path.Combine(dir.FullName, "shared", "corpus", "pocom");
            if (Directory.Exists(pocom))
            {
                return pocom;
            }
        }
        throw new InvalidOperationException($"no shared/corpus/pocom folder above {AppContext.BaseDirectory}");
    }

    private static Official Get(string id) => Officials.Value.Single(o => o.Id == id);

    [Fact]
    public void Harriman_holds_his_posts_in_order_with_the_names_of_the_time()
    {
        Assert.Equal(
            [
                "Ambassador to the Soviet Union (1943–1946)",
                "Ambassador to the United Kingdom (1946)",
                "Director of the Mutual Security Agency (1951–1953)",
                "Ambassador at Large (1961)",
                "Assistant Secretary of State for East Asian and Pacific Affairs (1961–1963)",
                "Under Secretary of State for Political Affairs (1963–1965)",
                "Ambassador at Large (1965–1969)",
            ],
            Get("harriman-william-averell").Posts.Select(p => p.Summary));
    }

    [Fact]
    public void An_official_keeps_names_and_life_dates()
    {
        var o = Get("harriman-william-averell");
        Assert.Equal(("Harriman", "William Averell", "W. Averell Harriman", "1891", "1986"), (o.Surname, o.Forenames, Assert.Single(o.AltNames), o.Birth, o.Death));
    }

    [Fact]
    public void A_chief_of_mission_keeps_the_appointment_dates_and_note()
    {
        var post = Get("harriman-william-averell").Posts[0];
        Assert.Equal(new OfficialPost("ru-1943-harr-01", "Ambassador Extraordinary and Plenipotentiary", "Ambassador", "the Soviet Union", "russia",
            "1943-10-07", "1943-10-23", "1946-01-24", "Commissioned to the Union of Soviet Socialist Republics."), post);
    }

    [Fact]
    public void A_nominee_who_never_served_holds_no_post()
    {
        Assert.Empty(Get("kavalec-katherine-a").Posts);
    }

    [Fact]
    public void A_malformed_file_is_reported_with_file_line_and_column()
    {
        var folder = Directory.CreateTempSubdirectory("chancery-pocom-bad-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "people", "x"));
            var file = Path.Combine(folder.FullName, "people", "x", "broken.xml");
            File.WriteAllText(file, "<person>\n  <id>broken</id>\n  <persName><surname>X</surname>\n</person>\n");
            var e = Assert.Throws<SourceFormatException>(() => PocomReader.ReadFolder(folder.FullName));
            Assert.Equal((file, 4, 3), (e.File, e.Line, e.Column));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_people_is_not_pocom_data()
    {
        var folder = Directory.CreateTempSubdirectory("chancery-pocom-empty-");
        try
        {
            var e = Assert.Throws<SourceFormatException>(() => PocomReader.ReadFolder(folder.FullName));
            Assert.Equal("not a POCOM data folder: it has no people/ folder", e.Problem);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
