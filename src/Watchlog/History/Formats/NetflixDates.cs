using System.Globalization;

namespace Watchlog.History.Formats;

/// <summary>
/// The date order of a Netflix viewing-history download, decided from every row at once (FORMATS.md A.1): a 4-digit
/// first group is year-first; a first group over 12 anywhere means day-first, a second group over 12 month-first;
/// when no row tells, '.' is day-first (Europe) and '/' month-first with a two-digit year (US) or day-first with four.
/// </summary>
public sealed class NetflixDates
{
    public enum Order { YearMonthDay, DayMonthYear, MonthDayYear }

    public Order Detected { get; }
    public string Description => Detected switch
    {
        Order.YearMonthDay => "year-month-day",
        Order.DayMonthYear => "day-month-year",
        _ => "month-day-year",
    };

    NetflixDates(Order order) => Detected = order;

    static int[]? Groups(string s)
    {
        var parts = s.Trim().Split('/', '.', '-');
        if (parts.Length is < 3 or > 4) return null;
        if (parts.Length == 4 && parts[3].Length != 0) return null; // "24.01.2023." is fine, more parts are not
        var g = new int[3];
        for (var i = 0; i < 3; i++)
            if (parts[i].Length is 0 or > 4 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out g[i])) return null;
        return g;
    }

    public static NetflixDates Detect(IEnumerable<string> dates)
    {
        int dayFirst = 0, monthFirst = 0, yearFirst = 0, dots = 0, slashes = 0, shortYears = 0, total = 0;
        foreach (var d in dates)
        {
            var t = d.Trim();
            var g = Groups(t);
            if (g is null) continue;
            total++;
            if (t.Split('/', '.', '-')[0].Length == 4) { yearFirst++; continue; }
            if (g[0] > 12) dayFirst++;
            if (g[1] > 12) monthFirst++;
            if (t.Contains('.')) dots++;
            if (t.Contains('/')) slashes++;
            if (t.Split('/', '.', '-')[2].Length <= 2) shortYears++;
        }
        if (total == 0) return new NetflixDates(Order.MonthDayYear);
        if (yearFirst * 2 > total) return new NetflixDates(Order.YearMonthDay);
        if (dayFirst > monthFirst) return new NetflixDates(Order.DayMonthYear);
        if (monthFirst > dayFirst) return new NetflixDates(Order.MonthDayYear);
        if (dots >= slashes) return new NetflixDates(Order.DayMonthYear);
        return new NetflixDates(shortYears > 0 ? Order.MonthDayYear : Order.DayMonthYear);
    }

    /// <summary>The date in the detected order (a year-first date is always read as such); null when it isn't a real date.</summary>
    public DateOnly? Read(string s)
    {
        var t = s.Trim();
        var g = Groups(t);
        if (g is null) return null;
        int y, m, d;
        if (t.Split('/', '.', '-')[0].Length == 4) (y, m, d) = (g[0], g[1], g[2]);
        else if (Detected == Order.MonthDayYear) (m, d, y) = (g[0], g[1], g[2]);
        else (d, m, y) = (g[0], g[1], g[2]);
        if (y < 100) y += 2000;
        if (y is < 1990 or > 2200 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return null;
        return new DateOnly(y, m, d);
    }
}
