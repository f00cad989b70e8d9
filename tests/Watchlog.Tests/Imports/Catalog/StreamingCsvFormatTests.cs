using Watchlog.Catalog;
using Watchlog.Imports.Catalog;

namespace Watchlog.Tests.Imports.Catalog;

public class StreamingCsvFormatTests
{
    static readonly StreamingTarget Netflix = new("Netflix", "US");

    static StreamingCatalogRow Movie(string title = "Dick Johnson Is Dead") => new()
    {
        ShowId = "s1", Type = "Movie", Title = title, ReleaseYear = "2020", Rating = "PG-13", Duration = "90 min",
    };

    static CatalogEntry Entry(StreamingCatalogRow row)
    {
        var result = StreamingCsvFormat.Map(7, row, Netflix);
        Assert.Null(result.Error);
        return result.Entry!;
    }

    [Fact]
    public void A_movie_row_maps_to_an_entry_available_on_the_platform()
    {
        var entry = Entry(new StreamingCatalogRow
        {
            ShowId = "s8", Type = "Movie", Title = "Sankofa", Director = "Haile Gerima",
            Cast = "Kofi Ghanaba, Oyafunmike Ogunlano, Alexandra Duah", Country = "United States, Ghana, Burkina Faso, United Kingdom, Germany, Ethiopia",
            DateAdded = "September 24, 2021", ReleaseYear = "1993", Rating = "TV-MA", Duration = "125 min",
            ListedIn = "Dramas, Independent Movies, International Movies",
            Description = "On a photo shoot in Ghana, an American model slips back in time.",
        });

        Assert.Equal(("s8", "movie", "Sankofa", 1993, 125), (entry.Id, entry.Kind, entry.Title, entry.Year, entry.RuntimeMin));
        Assert.Equal("TV-MA", entry.Certification);
        Assert.Equal("On a photo shoot in Ghana, an American model slips back in time.", entry.Overview);
        Assert.Equal(["Drama"], entry.Genres);
        Assert.Equal(["US", "GH", "BF", "GB", "DE", "ET"], entry.Regions);
        Assert.Equal([("Haile Gerima", "director"), ("Kofi Ghanaba", "actor"), ("Oyafunmike Ogunlano", "actor"), ("Alexandra Duah", "actor")],
            entry.People!.Select(p => (p.Name, p.Role)));
        var platform = Assert.Single(entry.Platforms!);
        Assert.Equal(("Netflix", "US", "subscription", new DateOnly(2021, 9, 24)), (platform.Name, platform.Region, platform.Monetization, platform.AvailableFrom));
    }

    [Fact]
    public void A_tv_show_is_a_series_whose_season_count_is_not_turned_into_seasons()
    {
        var entry = Entry(new StreamingCatalogRow { ShowId = "s2", Type = "TV Show", Title = "Blood & Water", ReleaseYear = "2021", Duration = "2 Seasons" });

        Assert.Equal("series", entry.Kind);
        Assert.Null(entry.Seasons);
        Assert.Null(entry.RuntimeMin);
    }

    [Fact]
    public void A_duration_written_in_the_rating_column_is_read_as_the_duration()
    {
        var entry = Entry(Movie("Louis C.K. 2017") with { Rating = "74 min", Duration = "" });

        Assert.Equal(74, entry.RuntimeMin);
        Assert.Null(entry.Certification);
    }

    [Fact]
    public void A_movie_whose_duration_counts_seasons_is_a_series()
    {
        var entry = Entry(Movie("Harrow") with { Rating = "3 Seasons", Duration = "" });

        Assert.Equal("series", entry.Kind);
        Assert.Null(entry.RuntimeMin);
    }

    [Theory]
    [InlineData(" August 4, 2017", 2017, 8, 4)]
    [InlineData("September 25, 2021", 2021, 9, 25)]
    [InlineData("24-Oct-21", 2021, 10, 24)]
    public void Date_added_is_when_the_title_became_available(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), Entry(Movie() with { DateAdded = text }).Platforms![0].AvailableFrom);

    [Fact]
    public void An_empty_date_added_leaves_the_start_unknown() =>
        Assert.Null(Entry(Movie() with { DateAdded = "" }).Platforms![0].AvailableFrom);

    [Theory]
    [InlineData("Short", "90 min", "2020", "", "type must be 'Movie' or 'TV Show', not 'Short'")]
    [InlineData("", "90 min", "2020", "", "type is empty")]
    [InlineData("Movie", "90 min", "20-20", "", "release_year '20-20' is not a year")]
    [InlineData("Movie", "1 h 30", "2020", "", "duration '1 h 30' is neither minutes ('90 min') nor seasons ('2 Seasons')")]
    [InlineData("Movie", "90 min", "2020", "yesterday", "date_added 'yesterday' is not a date like 'September 25, 2021'")]
    public void A_row_that_cant_be_read_is_skipped_with_the_reason(string type, string duration, string year, string added, string reason)
    {
        var result = StreamingCsvFormat.Map(7, Movie() with { Type = type, Duration = duration, ReleaseYear = year, DateAdded = added }, Netflix);

        Assert.Null(result.Entry);
        Assert.Equal((7, reason), (result.Line, result.Error));
    }

    [Fact]
    public void A_director_column_holding_the_description_gives_no_director()
    {
        const string text = "Director Jennifer Kent (\"The Babadook\") tells the sweeping tale of a young woman's quest for revenge.";

        var entry = Entry(Movie("The Nightingale") with { Director = text, Description = text });

        Assert.Empty(entry.People!);
        Assert.Equal(text, entry.Overview);
    }

    [Fact]
    public void Text_is_tidied_newlines_and_zero_width_marks_included()
    {
        var entry = Entry(Movie("The Memphis Belle: A Story of a\nFlying Fortress") with
        {
            Description = "\u200bComedian Ricky Velez bares it all –\n and probably will.",
            Cast = " Jack Whitehall,\u00a0Joanna Scanlan ,, ",
        });

        Assert.Equal("The Memphis Belle: A Story of a Flying Fortress", entry.Title);
        Assert.Equal("Comedian Ricky Velez bares it all – and probably will.", entry.Overview);
        Assert.Equal(["Jack Whitehall", "Joanna Scanlan"], entry.People!.Select(p => p.Name));
    }

    [Fact]
    public void A_name_suffix_after_a_comma_stays_with_its_name_and_names_without_letters_are_left_out()
    {
        var entry = Entry(Movie() with { Director = "Mikey Indio Cedano,  Jr", Cast = "1, Clifton Collins, Jr., Desi Arnaz, Jr., 2" });

        Assert.Equal(["Mikey Indio Cedano, Jr", "Clifton Collins, Jr.", "Desi Arnaz, Jr."], entry.People!.Select(p => p.Name));
    }

    [Fact]
    public void Countries_become_codes_and_unknown_ones_are_left_out()
    {
        var entry = Entry(Movie() with { Country = ", South Korea, West Germany, Atlantis, United Kingdom," });

        Assert.Equal(["KR", "DE", "GB"], entry.Regions);
    }

    [Theory]
    [InlineData("NOT_RATE", "NR")]
    [InlineData("UNRATED", "NR")]
    [InlineData("AGES_16_", "16+")]
    [InlineData("13+", "13+")]
    [InlineData("TV-Y7-FV", "TV-Y7-FV")]
    public void Prime_Video_ratings_are_written_one_way(string rating, string certification) =>
        Assert.Equal(certification, Entry(Movie() with { Rating = rating }).Certification);

    [Fact]
    public void The_platform_is_required()
    {
        var e = Assert.Throws<ImportException>(() => StreamingTarget.From(new CatalogImportOptions()));

        Assert.Contains("--platform", e.Message);
    }

    [Theory]
    [InlineData(null, "US")]
    [InlineData(" gb ", "GB")]
    public void The_region_defaults_to_US_and_is_upper_case(string? region, string expected) =>
        Assert.Equal(new StreamingTarget("Disney+", expected), StreamingTarget.From(new CatalogImportOptions(Platform: " Disney+ ", Region: region)));

    [Fact]
    public void A_region_must_be_two_letters() =>
        Assert.Throws<ImportException>(() => StreamingTarget.From(new CatalogImportOptions(Platform: "netflix", Region: "USA")));

    [Theory]
    [InlineData("Disney+", "streaming-csv:disney-plus")]
    [InlineData("disney-plus", "streaming-csv:disney-plus")]
    [InlineData("Prime Video", "streaming-csv:prime-video")]
    public void The_source_is_per_platform(string platform, string source) =>
        Assert.Equal(source, new StreamingCsvFormat().DefaultSource(new CatalogImportOptions(Platform: platform)));
}
