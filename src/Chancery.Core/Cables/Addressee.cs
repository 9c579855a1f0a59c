using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Chancery.Core.Cables;

/// <summary>What an addressee names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AddresseeKind>))]
public enum AddresseeKind
{
    /// <summary>A post (its id): the telegram is distributed there by the post's rules.</summary>
    [JsonStringEnumMemberName("post")] Post,
    /// <summary>A person (an archive user name): delivered to the post where they serve.</summary>
    [JsonStringEnumMemberName("user")] Individual,
    /// <summary>A distribution list (its name), expanded when the telegram is sent.</summary>
    [JsonStringEnumMemberName("list")] List,
}

/// <summary>An action or info addressee of a draft: written <c>post:moscow</c>, <c>user:truman</c>, <c>list:eur-posts</c>.</summary>
public sealed record Addressee(AddresseeKind Kind, string Target)
{
    public static Addressee Post(string id) => new(AddresseeKind.Post, id);
    public static Addressee Individual(string user) => new(AddresseeKind.Individual, user);
    public static Addressee List(string name) => new(AddresseeKind.List, name);

    /// <summary><c>post:moscow</c>, <c>user:truman</c>, <c>list:eur-posts</c>.</summary>
    public override string ToString() => Kind switch
    {
        AddresseeKind.Individual => "user:" + Target,
        AddresseeKind.List => "list:" + Target,
        _ => "post:" + Target,
    };

    /// <summary>Parses <c>post:ID</c>, <c>user:NAME</c>, <c>list:NAME</c>; a bare word is a post id.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Addressee? addressee)
    {
        addressee = null;
        var t = (text ?? "").Trim();
        var colon = t.IndexOf(':');
        var (kind, target) = colon < 0 ? ("post", t) : (t[..colon].Trim().ToLowerInvariant(), t[(colon + 1)..].Trim());
        if (target.Length == 0)
        {
            return false;
        }
        addressee = kind switch
        {
            "post" => Post(target),
            "user" or "individual" => Individual(target),
            "list" => List(target),
            _ => null,
        };
        return addressee is not null;
    }
}

/// <summary>
/// One concrete recipient of a sent telegram, after distribution lists were expanded: the addressee, how it is
/// printed ("the President", "Department of State"), the post that receives it, and whether it is for action.
/// </summary>
public sealed record Recipient(Addressee Addressee, string Display, string Post, bool Action);
