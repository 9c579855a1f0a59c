using Chancery.Core.Dates;
using Chancery.Web.Html;

namespace Chancery.Web.Tests;

public sealed class DateTextTests
{
    [Theory]
    [InlineData("1945", "1945")]
    [InlineData("1945-07", "July 1945")]
    [InlineData("1945-07-05", "July 5, 1945")]
    [InlineData("1948-12-30T16:00", "December 30, 1948, 4:00 p.m.")]
    [InlineData("1945-07-14T02:00", "July 14, 1945, 2:00 a.m.")]
    [InlineData("1945-07-07T12:00", "July 7, 1945, noon")]
    [InlineData("1956-10-23T00:00", "October 23, 1956, midnight")]
    [InlineData("1945-07-07T12:30", "July 7, 1945, 12:30 p.m.")]
    [InlineData("1945-07-16 – 1945-07-18", "July 16, 1945 – July 18, 1945")]
    [InlineData("undated", "undated")]
    public void Dates_read_as_a_person_writes_them(string iso, string expected)
    {
        Assert.Equal(expected, DateText.FormatIso(iso));
    }

    [Fact]
    public void A_documents_date_in_GMT_keeps_its_zone()
    {
        var date = new DocumentDate("1954-08-24T03:37", "1954-08-24T03:37", DatePrecision.Minute, DateSource.Dateline, "+00:00");

        Assert.Equal("August 24, 1954, 3:37 a.m. GMT", DateText.Format(date));
    }

    [Fact]
    public void A_documents_date_without_a_zone_has_none()
    {
        var date = new DocumentDate("1948-12-30T16:00", "1948-12-30T16:00", DatePrecision.Minute, DateSource.Dateline);

        Assert.Equal("December 30, 1948, 4:00 p.m.", DateText.Format(date));
    }
}
