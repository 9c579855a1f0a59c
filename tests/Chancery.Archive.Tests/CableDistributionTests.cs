using Chancery.Archive.Cables;
using Chancery.Core.Access;
using Chancery.Core.Cables;

namespace Chancery.Archive.Tests;

/// <summary>Who at a receiving post sees a telegram, by classification and captions.</summary>
public sealed class CableDistributionTests
{
    private static ReaderIdentity Id(string name, ClassificationLevel level, params string[] controls) =>
        new(name, false, level, new HashSet<string>(controls, StringComparer.Ordinal));

    private static readonly IReadOnlyList<PostReader> Department =
    [
        new("byrnes", CableRole.Principal, Id("byrnes", ClassificationLevel.TopSecret)),
        new("dunn", CableRole.Drafter, Id("dunn", ClassificationLevel.TopSecret)),
        new("low", CableRole.Drafter, Id("low", ClassificationLevel.Confidential)),
        new("exdis", CableRole.Drafter, Id("exdis", ClassificationLevel.Secret, "EXDIS")),
    ];

    private static readonly Dictionary<string, IReadOnlyList<ReaderIdentity>> NoDesignees = [];

    private static IReadOnlyList<string> Readers(Marking marking, IReadOnlyList<string> named, IReadOnlyDictionary<string, IReadOnlyList<ReaderIdentity>>? designees = null) =>
        CableDistribution.ReadersAtPost(marking, named, Department, designees ?? NoDesignees);

    [Fact]
    public void A_secret_telegram_reaches_every_member_cleared_secret()
    {
        Assert.Equal(["byrnes", "dunn", "exdis"], Readers(new Marking(ClassificationLevel.Secret, []), []));
    }

    [Fact]
    public void An_EXDIS_telegram_reaches_only_holders_of_the_control()
    {
        Assert.Equal(["exdis"], Readers(new Marking(ClassificationLevel.Secret, ["EXDIS"]), []));
    }

    [Fact]
    public void A_PERSONAL_FOR_telegram_reaches_only_its_named_principal()
    {
        Assert.Equal(["byrnes"], Readers(new Marking(ClassificationLevel.TopSecret, ["PERSONAL-FOR"]), ["byrnes"]));
    }

    [Fact]
    public void A_PERSONAL_FOR_telegram_for_someone_elsewhere_reaches_nobody_here()
    {
        Assert.Empty(Readers(new Marking(ClassificationLevel.TopSecret, ["PERSONAL-FOR"]), ["truman"]));
    }

    [Fact]
    public void A_NODIS_telegram_naming_nobody_reaches_the_post_principals()
    {
        Assert.Equal(["byrnes"], Readers(new Marking(ClassificationLevel.Secret, ["NODIS"]), []));
    }

    [Fact]
    public void A_designee_cleared_for_the_level_receives_with_the_principal()
    {
        var designees = new Dictionary<string, IReadOnlyList<ReaderIdentity>> { ["byrnes"] = [Id("bohlen", ClassificationLevel.TopSecret)] };
        Assert.Equal(["byrnes", "bohlen"], Readers(new Marking(ClassificationLevel.TopSecret, ["PERSONAL-FOR"]), ["byrnes"], designees));
    }

    [Fact]
    public void A_designee_not_cleared_for_the_level_is_left_out()
    {
        var designees = new Dictionary<string, IReadOnlyList<ReaderIdentity>> { ["byrnes"] = [Id("low", ClassificationLevel.Confidential)] };
        Assert.Equal(["byrnes"], Readers(new Marking(ClassificationLevel.TopSecret, ["PERSONAL-FOR"]), ["byrnes"], designees));
    }

    [Fact]
    public void Being_cleared_for_a_marking_ignores_named_captions_but_not_other_controls()
    {
        var reader = Id("r", ClassificationLevel.TopSecret);
        Assert.Equal((true, false),
            (CableDistribution.ClearedFor(reader, new Marking(ClassificationLevel.TopSecret, ["PERSONAL-FOR", "NODIS"])),
             CableDistribution.ClearedFor(reader, new Marking(ClassificationLevel.Secret, ["EXDIS"]))));
    }

    [Fact]
    public void The_public_is_cleared_for_nothing()
    {
        Assert.False(CableDistribution.ClearedFor(ReaderIdentity.Public, Marking.Unclassified));
    }

    [Fact]
    public void Named_principals_default_to_individual_addressees()
    {
        var recipients = new[]
        {
            new Recipient(Addressee.Individual("truman"), "the President", "maproom", true),
            new Recipient(Addressee.Post("state"), "Department of State", "state", false),
        };
        Assert.Equal(["truman"], CableDistribution.NamedPrincipals([], recipients));
    }
}
