using System.Net;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Chancery.Web.Tests.Infrastructure;

namespace Chancery.Web.Tests;

/// <summary>OAI-PMH 2.0: every response validates against the protocol's schemas (with oai_dc and simple Dublin Core).</summary>
[Collection(WebCollection.Name)]
public sealed class OaiPmhTests(WebFixture web)
{
    private static readonly XNamespace Oai = "http://www.openarchives.org/OAI/2.0/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>Maps the schemas' published locations to the copies shipped with the tests: nothing is fetched.</summary>
    private sealed class LocalSchemas : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var name = Path.GetFileName(absoluteUri.LocalPath);
            var local = Path.Combine(TestPaths.Schemas, name);
            if (!File.Exists(local))
            {
                throw new XmlException("schema not shipped with the tests: " + absoluteUri);
            }
            return File.OpenRead(local);
        }
    }

    private static readonly Lazy<XmlSchemaSet> SchemaSet = new(() =>
    {
        var set = new XmlSchemaSet { XmlResolver = new LocalSchemas() };
        foreach (var file in new[] { "OAI-PMH.xsd", "oai_dc.xsd" })
        {
            using var reader = XmlReader.Create(Path.Combine(TestPaths.Schemas, file), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            set.Add(null, reader);
        }
        set.Compile();
        return set;
    });

    /// <summary>Every validation error and warning of a response, as lines.</summary>
    private static List<string> Validate(string xml)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = SchemaSet.Value,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
            DtdProcessing = DtdProcessing.Prohibit,
        };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} {e.Exception.LineNumber}:{e.Exception.LinePosition} {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }
        return problems;
    }

    private async Task<(HttpStatusCode Status, string Body, XDocument Xml)> Fetch(string query)
    {
        using var client = web.Client();
        var page = await client.Get("/oai?" + query);
        return (page.Status, page.Body, XDocument.Parse(page.Body));
    }

    private async Task<XDocument> Valid(string query)
    {
        var (status, body, xml) = await Fetch(query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Validate(body));
        return xml;
    }

    private static string? ErrorCode(XDocument xml) => xml.Root!.Element(Oai + "error")?.Attribute("code")?.Value;

    [Fact]
    public void The_schemas_reject_a_response_that_breaks_them()
    {
        var broken = "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2024-01-01T00:00:00Z</responseDate>"
            + "<request>http://x/oai</request><Identify><repositoryName>x</repositoryName></Identify></OAI-PMH>";

        Assert.NotEmpty(Validate(broken));
    }

    [Fact]
    public async Task Identify_is_valid_and_names_the_repository()
    {
        var xml = await Valid("verb=Identify");

        var identify = xml.Root!.Element(Oai + "Identify")!;
        Assert.Equal(("Chancery", "2.0", "YYYY-MM-DD", "no"), (identify.Element(Oai + "repositoryName")!.Value, identify.Element(Oai + "protocolVersion")!.Value,
            identify.Element(Oai + "granularity")!.Value, identify.Element(Oai + "deletedRecord")!.Value));
        Assert.Equal(web.BaseAddress.GetLeftPart(UriPartial.Authority) + "/oai", identify.Element(Oai + "baseURL")!.Value);
    }

    [Fact]
    public async Task Identify_gives_the_earliest_datestamp_of_the_volumes()
    {
        var xml = await Valid("verb=Identify");

        Assert.Equal("1975-01-01", xml.Root!.Element(Oai + "Identify")!.Element(Oai + "earliestDatestamp")!.Value);
    }

    [Fact]
    public async Task ListMetadataFormats_offers_oai_dc()
    {
        var xml = await Valid("verb=ListMetadataFormats");

        Assert.Equal(["oai_dc"], xml.Descendants(Oai + "metadataPrefix").Select(e => e.Value));
    }

    [Fact]
    public async Task ListSets_has_one_set_per_volume_with_released_documents()
    {
        var xml = await Valid("verb=ListSets");

        Assert.Equal(["frus-sample-1945", "frus1948v05p1"], xml.Descendants(Oai + "setSpec").Select(e => e.Value));
    }

    [Fact]
    public async Task ListIdentifiers_pages_through_a_volume_with_resumption_tokens()
    {
        var ids = new List<string>();
        var xml = await Valid("verb=ListIdentifiers&metadataPrefix=oai_dc&set=frus1948v05p1");
        var cursors = new List<string>();
        while (true)
        {
            ids.AddRange(xml.Descendants(Oai + "identifier").Select(e => e.Value));
            var token = xml.Descendants(Oai + "resumptionToken").SingleOrDefault();
            if (token is null || token.Value.Length == 0)
            {
                Assert.Equal("412", token?.Attribute("completeListSize")?.Value);
                cursors.Add(token!.Attribute("cursor")!.Value);
                break;
            }
            cursors.Add(token.Attribute("cursor")!.Value);
            xml = await Valid("verb=ListIdentifiers&resumptionToken=" + Uri.EscapeDataString(token.Value));
        }
        Assert.Equal(["0", "100", "200", "300", "400"], cursors);
        Assert.Equal(412, ids.Distinct().Count());
        Assert.Equal("oai:chancery.local:frus1948v05p1/d1", ids[0]);
    }

    [Fact]
    public async Task ListRecords_gives_Dublin_Core_for_released_documents()
    {
        var xml = await Valid("verb=ListRecords&metadataPrefix=oai_dc&set=frus-sample-1945");

        var records = xml.Descendants(Oai + "record").ToList();
        Assert.Equal(23, records.Count);
        var d3 = records.Single(r => r.Descendants(Oai + "identifier").Single().Value == "oai:chancery.local:frus-sample-1945/d3");
        Assert.Equal("The Ambassador in the Soviet Union (Crane) to the Secretary of State", d3.Descendants(Dc + "title").Single().Value);
        Assert.Equal("1945-07-03T16:00", d3.Descendants(Dc + "date").Single().Value);
        Assert.Null(xml.Descendants(Oai + "resumptionToken").SingleOrDefault());
    }

    [Fact]
    public async Task ListRecords_never_includes_a_document_withheld_from_the_public()
    {
        var xml = await Valid("verb=ListRecords&metadataPrefix=oai_dc&set=frus-sample-1945");

        Assert.DoesNotContain("oai:chancery.local:frus-sample-1945/d14", xml.Descendants(Oai + "identifier").Select(e => e.Value));
    }

    [Fact]
    public async Task GetRecord_gives_one_record_with_its_address()
    {
        var xml = await Valid("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery.local:frus1948v05p1/d202");

        Assert.Contains(web.BaseAddress.GetLeftPart(UriPartial.Authority) + "/volumes/frus1948v05p1/d202", xml.Descendants(Dc + "identifier").Select(e => e.Value));
        Assert.Equal("Acting Secretary of State", xml.Descendants(Dc + "creator").Single().Value);
    }

    [Fact]
    public async Task GetRecord_of_the_withheld_seed_is_idDoesNotExist()
    {
        var xml = await Valid("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery.local:frus1945Berlinv01/d578");

        Assert.Equal("idDoesNotExist", ErrorCode(xml));
    }

    [Fact]
    public async Task Harvesting_by_date_leaves_out_volumes_published_outside_the_range()
    {
        var xml = await Valid("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2000-01-01");

        Assert.Equal(23, xml.Descendants(Oai + "header").Count());
    }

    [Theory]
    [InlineData("", "badVerb")]
    [InlineData("verb=Explode", "badVerb")]
    [InlineData("verb=Identify&verb=Identify", "badVerb")]
    [InlineData("verb=ListRecords", "badArgument")]
    [InlineData("verb=Identify&set=x", "badArgument")]
    [InlineData("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument")]
    [InlineData("verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01T00:00:00Z", "badArgument")]
    [InlineData("verb=ListRecords&metadataPrefix=oai_dc&until=yesterday", "badArgument")]
    [InlineData("verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc", "badArgument")]
    [InlineData("verb=GetRecord&identifier=oai:chancery.local:frus1948v05p1/d202", "badArgument")]
    [InlineData("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat")]
    [InlineData("verb=GetRecord&metadataPrefix=mods&identifier=oai:chancery.local:frus1948v05p1/d202", "cannotDisseminateFormat")]
    [InlineData("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery.local:frus1948v05p1/d9999", "idDoesNotExist")]
    [InlineData("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:frus1948v05p1/d202", "idDoesNotExist")]
    [InlineData("verb=ListMetadataFormats&identifier=oai:chancery.local:nothing/d1", "idDoesNotExist")]
    [InlineData("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken")]
    [InlineData("verb=ListSets&resumptionToken=anything", "badResumptionToken")]
    [InlineData("verb=ListRecords&metadataPrefix=oai_dc&from=2100-01-01", "noRecordsMatch")]
    [InlineData("verb=ListIdentifiers&metadataPrefix=oai_dc&set=nosuchset", "noRecordsMatch")]
    public async Task Errors_are_valid_responses_with_their_code(string query, string code)
    {
        var xml = await Valid(query);

        Assert.Equal(code, ErrorCode(xml));
    }

    [Theory]
    [InlineData("verb=Explode")]
    [InlineData("verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01T00:00:00Z")]
    public async Task BadVerb_and_badArgument_echo_only_the_base_address(string query)
    {
        var xml = await Valid(query);

        Assert.Empty(xml.Root!.Element(Oai + "request")!.Attributes());
    }

    [Fact]
    public async Task Other_responses_echo_the_request_arguments()
    {
        var xml = await Valid("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery.local:frus1948v05p1/d202");

        var request = xml.Root!.Element(Oai + "request")!;
        Assert.Equal(("GetRecord", "oai_dc", "oai:chancery.local:frus1948v05p1/d202"),
            (request.Attribute("verb")?.Value, request.Attribute("metadataPrefix")?.Value, request.Attribute("identifier")?.Value));
    }

    [Fact]
    public async Task Requests_may_be_posted_as_a_form()
    {
        using var client = web.Client();
        using var content = new FormUrlEncodedContent([new("verb", "ListSets")]);
        var response = await client.PostAsync("/oai", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Empty(Validate(body));
        Assert.Equal(2, XDocument.Parse(body).Descendants(Oai + "set").Count());
    }
}
