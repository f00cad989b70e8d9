using System.Text;
using Watchlog.Catalog;
using Watchlog.Imports.Catalog;
using static Watchlog.Tests.Imports.Catalog.CatalogImports;

namespace Watchlog.Tests.Imports.Catalog;

public class StreamingCsvImportTests
{
    const string Header = "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description";

    // Rows in the shape of netflix_titles.csv, quirks included: a date with a leading space, the duration in the
    // rating column, an empty date_added, a description over two lines.
    const string Netflix = Header + """

        s1,Movie,Dick Johnson Is Dead,Kirsten Johnson,,United States,"September 25, 2021",2020,PG-13,90 min,Documentaries,"As her father nears the end of his life, filmmaker Kirsten Johnson stages his death in inventive and comical ways."
        s2,TV Show,Blood & Water,,"Ama Qamata, Khosi Ngema, Gail Mabalane",South Africa,"September 24, 2021",2021,TV-MA,2 Seasons,"International TV Shows, TV Dramas, TV Mysteries","After crossing paths at a party, a Cape Town teen sets out to prove whether a swimming star is her sister."
        s3,Movie,Louis C.K. 2017,Louis C.K.,Louis C.K.,United States," April 4, 2017",2017,74 min,,Movies,"Louis C.K. muses on religion, eternal love and giving dogs drugs."
        s4,Movie,The Bad Education Movie,Elliot Hegarty,"Jack Whitehall, Joanna Scanlan, Iain Glen",United Kingdom,,2015,TV-MA,87 min,"Comedies, International Movies","Britain's most caring teacher takes his class to Cornwall, where anything could happen –
         and probably will."

        """;

    [EachDatabase]
    public async Task Imports_titles_with_genres_people_regions_and_availability(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);

        var summary = await StreamingAsync(db, WriteFile(db, "netflix_titles.csv", Netflix), "netflix");

        Assert.Equal((4L, 4L, 0L), (summary.Read, summary.Imported, summary.Skipped));
        var dick = await TitleAsync(db, "streaming-csv:netflix", "s1");
        Assert.Equal(("movie", "Dick Johnson Is Dead", 2020, 90, "PG-13"), (dick.Kind, dick.Title, dick.Year, dick.RuntimeMin, dick.Certification));
        Assert.Equal(["Documentary"], dick.Genres);
        Assert.Equal(["US"], dick.Regions);
        Assert.Equal([("Kirsten Johnson", "director")], dick.Credits.Select(c => (c.Name, c.Role)));
        var netflix = Assert.Single(Assert.Single(dick.Availability, a => a.Key == "US").Value);
        Assert.Equal(new AvailabilityItem("netflix", "Netflix", "subscription", new DateOnly(2021, 9, 25), null), netflix);

        var blood = await TitleAsync(db, "streaming-csv:netflix", "s2");
        Assert.Equal(("series", 2021), (blood.Kind, blood.Year));
        Assert.Empty(blood.Seasons);
        Assert.Equal(["Drama", "Mystery"], blood.Genres);
        Assert.Equal(["ZA"], blood.Regions);
        Assert.Equal(["Ama Qamata", "Khosi Ngema", "Gail Mabalane"], blood.Credits.Select(c => c.Name));

        var louis = await TitleAsync(db, "streaming-csv:netflix", "s3");
        Assert.Equal((74, null), (louis.RuntimeMin, louis.Certification));
        Assert.Equal(new DateOnly(2017, 4, 4), louis.Availability["US"][0].AvailableFrom);
        Assert.Equal([("Louis C.K.", "director"), ("Louis C.K.", "actor")], louis.Credits.Select(c => (c.Name, c.Role)));

        var bad = await TitleAsync(db, "streaming-csv:netflix", "s4");
        Assert.Null(bad.Availability["US"][0].AvailableFrom);
        Assert.Equal("Britain's most caring teacher takes his class to Cornwall, where anything could happen – and probably will.", bad.Overview);
    }

    [EachDatabase]
    public async Task A_file_with_a_byte_order_mark_and_CRLF_line_ends_imports_the_same(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var crlf = Encoding.UTF8.GetBytes(Netflix.Replace("\n", "\r\n", StringComparison.Ordinal));

        var summary = await StreamingAsync(db, WriteFile(db, "hulu_titles.csv", [0xEF, 0xBB, 0xBF, .. crlf]), "hulu");

        Assert.Equal((4L, 0L), (summary.Imported, summary.Skipped));
        Assert.Equal("Britain's most caring teacher takes his class to Cornwall, where anything could happen – and probably will.",
            (await TitleAsync(db, "streaming-csv:hulu", "s4")).Overview);
    }

    [EachDatabase]
    public async Task Importing_the_same_file_again_updates_the_titles_and_adds_nothing(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var path = WriteFile(db, "netflix_titles.csv", Netflix);
        await StreamingAsync(db, path, "netflix");
        var before = await CountsAsync(db);

        var again = await StreamingAsync(db, path, "Netflix");

        Assert.Equal((4L, 0L, 4L, 0L), (again.Read, again.Imported, again.Updated, again.Merged));
        Assert.Equal(before, await CountsAsync(db));
    }

    [EachDatabase]
    public async Task A_bad_row_is_skipped_with_its_line_and_the_rest_of_the_file_is_imported(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var path = WriteFile(db, "catalog.csv", Header + """

            s1,Movie,Good One,,,,,2020,,90 min,,
            s2,Short,"A title over
            two lines",,,,,2020,,9 min,,
            s3,Movie,Too Few Fields,,,,2020,,90 min,,
            s4,Movie,Also Good,,,,,2021,,95 min,,
            s5,Movie,"A quote never closed,,,,,2020,,90 min,,
            s6,Movie,After The Broken One,,,,,2021,,80 min,,

            """);

        var summary = await StreamingAsync(db, path, "netflix");

        Assert.Equal((6L, 3L, 3L), (summary.Read, summary.Imported, summary.Skipped));
        Assert.Equal(
            [(3, "type must be 'Movie' or 'TV Show', not 'Short'"), (5, "the row has 11 fields where the header has 12"),
             (7, "a quote opened on this line is never closed; the line was skipped")],
            summary.SkippedRows.OrderBy(r => r.Line).Select(r => (r.Line, r.Reason)));
        Assert.Equal("After The Broken One", (await TitleAsync(db, "streaming-csv:netflix", "s6")).Title);
    }

    [EachDatabase]
    public async Task Show_ids_repeat_across_platforms_while_the_same_title_and_year_on_two_platforms_is_one_title(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        await StreamingAsync(db, WriteFile(db, "netflix_titles.csv", Netflix), "netflix");
        var hulu = WriteFile(db, "hulu_titles.csv", Header + """

            s1,Movie,Harrow,,,"United States, Australia","February 8, 2021",2018,3 Seasons,,"Crime, Drama, International",Daniel Harrow is a brilliant forensic pathologist.
            s2,Movie,Dick Johnson Is Dead,,,,"October 1, 2021",2020,PG-13,89 min,Documentaries,A daughter stages her father's death.

            """);

        var summary = await StreamingAsync(db, hulu, "Hulu", region: "gb");

        Assert.Equal((1L, 1L), (summary.Imported, summary.Merged));
        var harrow = await TitleAsync(db, "streaming-csv:hulu", "s1");
        Assert.Equal(("Harrow", "series"), (harrow.Title, harrow.Kind));
        var dick = await TitleAsync(db, "streaming-csv:hulu", "s2");
        Assert.Equal((await TitleAsync(db, "streaming-csv:netflix", "s1")).Id, dick.Id);
        Assert.Equal(90, dick.RuntimeMin); // a merge only fills gaps
        Assert.Equal(["GB", "US"], dick.Availability.Keys.Order());
        Assert.Equal(new AvailabilityItem("hulu", "Hulu", "subscription", new DateOnly(2021, 10, 1), null), Assert.Single(dick.Availability["GB"]));
    }

    [EachDatabase]
    public async Task Without_a_platform_nothing_is_imported(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);

        var e = await Assert.ThrowsAsync<ImportException>(() => RunAsync(db, WriteFile(db, "netflix_titles.csv", Netflix), "streaming-csv"));

        Assert.Contains("--platform", e.Message);
        Assert.Equal(0, await CountAsync(db, "titles"));
    }

    [EachDatabase]
    public async Task A_file_without_the_catalog_columns_is_refused_with_the_missing_ones(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var path = WriteFile(db, "other.csv", "show_id,type,title,genre\ns1,Movie,Dark,Drama\n");

        var e = await Assert.ThrowsAsync<ImportException>(() => StreamingAsync(db, path, "netflix"));

        Assert.Contains("director, cast, country, date_added, release_year, rating, duration, listed_in, description", e.Message);
        Assert.Equal(0, await CountAsync(db, "titles"));
    }
}
