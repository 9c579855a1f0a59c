using Chancery.Archive.Postgres;

namespace Chancery.Archive.Tests;

/// <summary>Archive addresses: postgres:// URLs become Npgsql connection strings, and passwords stay out of messages.</summary>
public sealed class PostgresUrlTests
{
    [Fact]
    public void Location_hides_the_password()
    {
        Assert.Equal("postgres://reader:***@db.example:5433/chancery?sslmode=require",
            PostgresUrl.Redact("postgres://reader:s3cret@db.example:5433/chancery?sslmode=require"));
    }

    [Theory]
    [InlineData("postgres://reader:s%40cret@db.example:5433/chancery", "Host=db.example;Port=5433;Username=reader;Password=s@cret;Database=chancery")]
    [InlineData("postgresql://reader@db.example/chancery", "Host=db.example;Username=reader;Database=chancery")]
    [InlineData("postgres://reader@db.example/chancery?sslmode=require&application_name=chancery", "Host=db.example;Username=reader;Database=chancery;SSL Mode=Require;Application Name=chancery")]
    public void Url_becomes_an_npgsql_connection_string(string url, string expected)
    {
        Assert.Equal(expected, PostgresUrl.ToConnectionString(url));
    }

    [Fact]
    public void Url_with_an_unknown_option_is_refused_in_one_line()
    {
        var e = Assert.Throws<ArchiveException>(() => PostgresUrl.ToConnectionString("postgres://u@h/db?colour=blue"));
        Assert.StartsWith("the archive address postgres://u@h/db?colour=blue has an option this Chancery does not know: colour", e.Message);
    }
}
