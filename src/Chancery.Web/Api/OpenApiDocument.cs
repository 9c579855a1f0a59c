using System.Text.Json;
using System.Text.Json.Nodes;
using Chancery.Web.Hosting;

namespace Chancery.Web.Api;

/// <summary>
/// The OpenAPI 3.0 description of <c>/api/v1</c>, written by hand as an object tree (no generator package is
/// needed offline) and serialised once.
/// </summary>
internal static class OpenApiDocument
{
    public static readonly string Json = Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    private static JsonObject Str(string? description = null, string? format = null, bool nullable = false)
    {
        var o = new JsonObject { ["type"] = "string" };
        if (format is not null)
        {
            o["format"] = format;
        }
        if (nullable)
        {
            o["nullable"] = true;
        }
        if (description is not null)
        {
            o["description"] = description;
        }
        return o;
    }

    private static JsonObject Int(string? description = null, int? minimum = null, int? maximum = null)
    {
        var o = new JsonObject { ["type"] = "integer" };
        if (minimum is not null)
        {
            o["minimum"] = minimum;
        }
        if (maximum is not null)
        {
            o["maximum"] = maximum;
        }
        if (description is not null)
        {
            o["description"] = description;
        }
        return o;
    }

    private static JsonObject Obj(JsonObject properties, params string[] required)
    {
        var o = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Length > 0)
        {
            o["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }
        return o;
    }

    private static JsonObject Arr(JsonNode items) => new() { ["type"] = "array", ["items"] = items };

    private static JsonObject PathParam(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = Str(),
    };

    private static JsonObject QueryParam(string name, string description, JsonObject schema, bool required = false) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = required,
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject JsonResponse(string description, JsonObject schema, JsonObject? headers = null)
    {
        var o = new JsonObject
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
        };
        if (headers is not null)
        {
            o["headers"] = headers;
        }
        return o;
    }

    private static JsonObject ProblemResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = Ref("Problem") } },
    };

    private static JsonObject Operation(string id, string summary, string description, JsonArray parameters, JsonObject responses) => new()
    {
        ["operationId"] = id,
        ["summary"] = summary,
        ["description"] = description,
        ["parameters"] = parameters,
        ["responses"] = responses,
    };

    private static JsonObject Build()
    {
        var searchParams = new JsonArray
        {
            QueryParam("q", "The query in the Chancery query language (at most 1,000 characters): words, \"phrases\", prefix*, OR, NOT/-, parentheses, fields title: from: to: place: volume: type: classification: person: file: and date:1945-07..1945-08.", Str(), required: true),
            QueryParam("sort", "Order of hits.", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("relevance", "date-asc", "date-desc"), ["default"] = "relevance" }),
            QueryParam("page", "1-based page; page × pageSize may not exceed 10,000.", Int(minimum: 1)),
            QueryParam("pageSize", "Hits per page.", Int(minimum: 1, maximum: 100)),
            QueryParam("facets", "Whether to count facets over the whole result set.", new JsonObject { ["type"] = "boolean", ["default"] = false }),
        };
        var etagHeader = new JsonObject
        {
            ["ETag"] = new JsonObject { ["description"] = "Names the content and the reader's view (public, released, original); send it back in If-None-Match.", ["schema"] = Str() },
            ["Cache-Control"] = new JsonObject { ["description"] = "public for the public view, private for a named reader.", ["schema"] = Str() },
        };

        var paths = new JsonObject
        {
            ["/api/v1/volumes"] = new JsonObject
            {
                ["get"] = Operation("listVolumes", "List volumes",
                    "Volumes with titles, document counts and date ranges over what the reader may see.",
                    [], new JsonObject { ["200"] = JsonResponse("The volumes.", Ref("VolumeList")) }),
            },
            ["/api/v1/volumes/{volume}"] = new JsonObject
            {
                ["get"] = Operation("getVolume", "A volume",
                    "The volume's metadata, persons and terms lists and table of contents, trimmed to what the reader may see.",
                    [PathParam("volume", "Volume id, e.g. frus1948v05p1.")],
                    new JsonObject { ["200"] = JsonResponse("The volume.", Ref("Volume")), ["404"] = ProblemResponse("No such volume.") }),
            },
            ["/api/v1/documents/{volume}/{doc}"] = new JsonObject
            {
                ["get"] = Operation("getDocument", "A document",
                    "The document as this reader may see it, in the same JSON as `chancery export --format json`. A missing document and one the reader may not see both answer 404.",
                    [PathParam("volume", "Volume id."), PathParam("doc", "Document id within the volume, e.g. d202."),
                        new JsonObject { ["name"] = "If-None-Match", ["in"] = "header", ["required"] = false, ["schema"] = Str(), ["description"] = "An ETag from an earlier answer." }],
                    new JsonObject
                    {
                        ["200"] = JsonResponse("The document.", Ref("Document"), etagHeader),
                        ["304"] = new JsonObject { ["description"] = "Not modified: the ETag still names this reader's view." },
                        ["404"] = ProblemResponse("No such document for this reader."),
                    }),
            },
            ["/api/v1/search"] = new JsonObject
            {
                ["get"] = Operation("search", "Search",
                    "Runs a query over what the reader may see. Counts, facets and snippets cover only that.",
                    searchParams,
                    new JsonObject
                    {
                        ["200"] = JsonResponse("Results.", Ref("SearchResults")),
                        ["400"] = ProblemResponse("A bad query (with its 0-based position), a query over 1,000 characters, or a bad parameter."),
                    }),
            },
            ["/api/v1/documents/{volume}/{doc}/links"] = new JsonObject
            {
                ["get"] = Operation("getDocumentLinks", "A document's links",
                    "What the document cites and what cites it, each reference with its evidence and how it resolved. A cited document the reader may not see is only `document withheld`; citing documents the reader may not see are left out.",
                    [PathParam("volume", "Volume id."), PathParam("doc", "Document id within the volume.")],
                    new JsonObject
                    {
                        ["200"] = JsonResponse("The links.", Ref("DocumentLinks")),
                        ["404"] = ProblemResponse("No such document for this reader, or the archive keeps no links (type links-unavailable)."),
                    }),
            },
            ["/api/v1/documents/{volume}/{doc}/thread"] = new JsonObject
            {
                ["get"] = Operation("getThread", "A telegram thread",
                    "The telegrams citing each other (both directions) that the document belongs to, by date; documents the reader may not see are left out and the thread is not followed through them.",
                    [PathParam("volume", "Volume id."), PathParam("doc", "Document id within the volume.")],
                    new JsonObject
                    {
                        ["200"] = JsonResponse("The thread.", Ref("Thread")),
                        ["404"] = ProblemResponse("No such document for this reader, or the archive keeps no links (type links-unavailable)."),
                    }),
            },
            ["/api/v1/persons/{id}"] = new JsonObject
            {
                ["get"] = Operation("getPerson", "A person",
                    "A person across volumes by index id (harriman-william-averell), persons-list id (frus1945Berlinv01#p_HWA1, with # sent as %23) or name in either order: names, list entries, posts, and the documents sent, received and mentioned in that the reader may see.",
                    [PathParam("id", "Index id, persons-list id or name.")],
                    new JsonObject
                    {
                        ["200"] = JsonResponse("The person.", Ref("Person")),
                        ["404"] = ProblemResponse("No such person, or the archive keeps no links (type links-unavailable)."),
                    }),
            },
            ["/api/v1/files/{number}"] = new JsonObject
            {
                ["get"] = Operation("getFile", "A decimal file",
                    "Documents the reader may see filed under decimal file numbers starting with the number (761.93, 740.0011 EW; the slash of a dated number may stay unescaped), by date, each number with its decoded meaning.",
                    [PathParam("number", "A decimal file number or its start.")],
                    new JsonObject
                    {
                        ["200"] = JsonResponse("The file.", Ref("File")),
                        ["400"] = ProblemResponse("No number, or one over 200 characters."),
                        ["404"] = ProblemResponse("The archive keeps no links (type links-unavailable)."),
                    }),
            },
            ["/api/v1/openapi.json"] = new JsonObject
            {
                ["get"] = Operation("openApi", "This description", "The OpenAPI 3.0 description of the API.", [],
                    new JsonObject { ["200"] = new JsonObject { ["description"] = "This document." } }),
            },
        };

        var schemas = new JsonObject
        {
            ["Problem"] = Obj(new JsonObject
            {
                ["type"] = Str("A URI reference naming the problem type; GET it for an explanation."),
                ["title"] = Str(),
                ["status"] = Int(),
                ["detail"] = Str(),
                ["instance"] = Str(),
                ["parameter"] = Str("The parameter at fault, when one is.", nullable: true),
                ["position"] = Int("For a bad query: the 0-based offset of the problem in q."),
            }, "type", "title", "status", "detail"),
            ["VolumeSummary"] = Obj(new JsonObject
            {
                ["id"] = Str(),
                ["title"] = Str(),
                ["documentCount"] = Int(),
                ["dateFrom"] = Str(nullable: true),
                ["dateTo"] = Str(nullable: true),
                ["url"] = Str("The volume's page."),
                ["api"] = Str("The volume's API address."),
            }, "id", "title", "documentCount"),
            ["VolumeList"] = Obj(new JsonObject { ["volumes"] = Arr(Ref("VolumeSummary")) }, "volumes"),
            ["Volume"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Volume metadata: id, title, series, publicationDate, editors, persons, terms, contents (table of contents entries with depth, kind, localId, number, title, documentId, date), sourceKind, sourceSha256.",
                ["additionalProperties"] = true,
            },
            ["Document"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "A document: id, volume, number, type, title, head, from, to, date {from, to, precision, source}, place, fileNumbers, classification, captions, body (blocks of kind paragraph, pageBreak, excision), footnotes, references, persons, terms, signed, page, marking, release. Withheld spans appear as excision markers for readers not cleared, and as inlines of kind excised for readers who are.",
                ["additionalProperties"] = true,
                ["required"] = new JsonArray("id", "volume", "type", "title", "body"),
            },
            ["SearchHit"] = Obj(new JsonObject
            {
                ["id"] = Str(),
                ["volume"] = Str(),
                ["number"] = Str(nullable: true),
                ["type"] = Str(),
                ["title"] = Str(),
                ["date"] = Str(nullable: true),
                ["snippet"] = Str("Text around the matches; matches are wrapped in « and »."),
                ["inFootnote"] = new JsonObject { ["type"] = "boolean" },
                ["score"] = new JsonObject { ["type"] = "number" },
                ["url"] = Str(),
                ["api"] = Str(),
            }, "id", "volume", "type", "title", "snippet"),
            ["FacetValue"] = Obj(new JsonObject
            {
                ["value"] = Str(),
                ["count"] = Int(),
                ["query"] = Str("The query narrowed to this value."),
            }, "value", "count", "query"),
            ["SearchResults"] = Obj(new JsonObject
            {
                ["query"] = Str(),
                ["sort"] = Str(),
                ["page"] = Int(),
                ["pageSize"] = Int(),
                ["total"] = Int("Every hit the reader may see."),
                ["undated"] = Int("Undated documents a date filter left out."),
                ["hits"] = Arr(Ref("SearchHit")),
                ["facets"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = Arr(Ref("FacetValue")) },
                ["paging"] = Obj(new JsonObject
                {
                    ["pages"] = Int(),
                    ["previous"] = Str(nullable: true),
                    ["next"] = Str(nullable: true),
                }),
            }, "query", "total", "hits", "paging"),
        };

        var linkedDocument = Obj(new JsonObject
        {
            ["id"] = Str("Document id (volume#local); null when withheld.", nullable: true),
            ["withheld"] = new JsonObject { ["type"] = "boolean", ["description"] = "True for a document the reader may not see: then only label is set." },
            ["title"] = Str(nullable: true),
            ["date"] = Str(nullable: true),
            ["from"] = Str(nullable: true),
            ["to"] = Str(nullable: true),
            ["telegramNumber"] = Str(nullable: true),
            ["label"] = Str("The title, or \"document withheld\"."),
            ["url"] = Str("The document's page, when not withheld."),
            ["api"] = Str("The document's API address, when not withheld."),
        }, "withheld", "label");
        schemas["LinkedDocument"] = linkedDocument;
        schemas["Link"] = Obj(new JsonObject
        {
            ["sourceId"] = Str("The citing document."),
            ["kind"] = Str("document, telegram, file, page, volume, footnote or external."),
            ["target"] = Str("What the reference was taken to mean: a document id, a page, a telegram number."),
            ["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("resolved", "unresolved", "ambiguous", "not-printed", "external") },
            ["targetId"] = Str("The document, section or volume reached.", nullable: true),
            ["document"] = Ref("LinkedDocument"),
            ["candidates"] = Arr(Ref("LinkedDocument")),
            ["reason"] = Str(),
            ["evidence"] = Str("The words the source printed."),
            ["where"] = Str("body, or footnote N."),
            ["citedDate"] = Str(nullable: true),
        }, "sourceId", "kind", "target", "status", "evidence");
        schemas["DocumentLinks"] = Obj(new JsonObject
        {
            ["id"] = Str(),
            ["cites"] = Arr(Ref("Link")),
            ["citedBy"] = Arr(Ref("Link")),
        }, "id", "cites", "citedBy");
        schemas["ThreadEntry"] = Obj(new JsonObject
        {
            ["id"] = Str(),
            ["date"] = Str(nullable: true),
            ["from"] = Str(nullable: true),
            ["to"] = Str(nullable: true),
            ["telegramNumber"] = Str(nullable: true),
            ["title"] = Str(),
            ["firstLine"] = Str("The first line as this reader may see it."),
            ["url"] = Str(),
            ["api"] = Str(),
        }, "id", "title", "firstLine");
        schemas["Thread"] = Obj(new JsonObject { ["id"] = Str(), ["thread"] = Arr(Ref("ThreadEntry")) }, "id", "thread");
        var personDocument = Obj(new JsonObject
        {
            ["id"] = Str(),
            ["title"] = Str(),
            ["date"] = Str(nullable: true),
            ["evidence"] = Str("Why the index ties the person to the document."),
            ["url"] = Str(),
            ["api"] = Str(),
        }, "id", "title", "evidence");
        schemas["PersonDocument"] = personDocument;
        schemas["Person"] = Obj(new JsonObject
        {
            ["id"] = Str("Index id."),
            ["name"] = Str(),
            ["names"] = Arr(Str()),
            ["listings"] = Arr(Obj(new JsonObject { ["volume"] = Str(), ["personId"] = Str(), ["name"] = Str(), ["description"] = Str() })),
            ["officialId"] = Str("POCOM id, for a U.S. official.", nullable: true),
            ["posts"] = Arr(new JsonObject { ["type"] = "object", ["description"] = "A POCOM post: id, title, shortTitle, where, territoryId, appointed, started, ended, note, years." }),
            ["sent"] = Arr(Ref("PersonDocument")),
            ["received"] = Arr(Ref("PersonDocument")),
            ["mentioned"] = Arr(Ref("PersonDocument")),
            ["evidence"] = Arr(Str()),
            ["url"] = Str("The person's page."),
        }, "id", "name", "sent", "received", "mentioned");
        schemas["File"] = Obj(new JsonObject
        {
            ["file"] = Str("The number asked for."),
            ["meaning"] = Str("What the number means, when it is a whole decimal file number.", nullable: true),
            ["url"] = Str("The file's page."),
            ["documents"] = Arr(Obj(new JsonObject
            {
                ["id"] = Str(),
                ["title"] = Str(),
                ["date"] = Str(nullable: true),
                ["from"] = Str(nullable: true),
                ["to"] = Str(nullable: true),
                ["numbers"] = Arr(Obj(new JsonObject { ["text"] = Str(), ["meaning"] = Str() }, "text", "meaning")),
                ["url"] = Str(),
                ["api"] = Str(),
            }, "id", "title", "numbers")),
        }, "file", "documents");

        // the cable office (embedded archive only)
        CableOpenApi.AddTo(paths);

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Chancery API",
                ["version"] = "1.0.0",
                ["description"] = "The archive: volumes, documents, search, links, threads, persons and the decimal file (read-only), and the cable office (`/api/v1/cables`, on the embedded archive: inbox, read, thread, and drafting, clearing, releasing and sending with a bearer token). Anonymous callers read as the public; named users send `Authorization: Bearer TOKEN` and see what their clearance allows. Errors are RFC 9457 problem details.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "A token from `chancery users token NAME`." },
                },
            },
            ["security"] = new JsonArray(new JsonObject(), new JsonObject { ["bearer"] = new JsonArray() }),
        };
    }
}
