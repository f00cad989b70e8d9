using Watchlog.Catalog;
using Watchlog.Imports.Catalog;
using static Watchlog.Tests.Imports.Catalog.CatalogImports;

namespace Watchlog.Tests.Imports.Catalog;

public class MovieLensFormatTests
{
    // MovieLens writes CRLF line ends.
    static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    static readonly string Movies = Crlf("""
        movieId,title,genres
        1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
        29,"City of Lost Children, The (Cité des enfants perdus, La) (1995)",Adventure|Drama|Fantasy|Mystery|Sci-Fi
        32,Twelve Monkeys (a.k.a. 12 Monkeys) (1995),Mystery|Sci-Fi|Thriller
        838,Emma (1996),Comedy|Drama|Romance
        26958,Emma (1996),Romance
        40697,Babylon 5,(no genres listed)

        """);

    static readonly string Links = Crlf("""
        movieId,imdbId,tmdbId
        1,0114709,862
        29,0112682,902
        32,0114746,63
        838,0116191,3573
        26958,0118308,
        40697,0105946,

        """);

    static string Folder(TestDb db, string movies, string? links = null)
    {
        WriteFile(db, "ml/movies.csv", movies);
        if (links is not null) WriteFile(db, "ml/links.csv", links);
        return Path.Combine(db.DataDir, "ml");
    }

    [EachDatabase]
    public async Task Imports_movies_with_ids_from_links_aliases_and_genres(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);

        var summary = await RunAsync(db, Folder(db, Movies, Links), "movielens");

        Assert.Equal((6L, 6L, 0L), (summary.Read, summary.Imported, summary.Skipped));
        var toy = await TitleAsync(db, "movielens", "1");
        Assert.Equal(("movie", "Toy Story", 1995), (toy.Kind, toy.Title, toy.Year));
        Assert.Equal(["Adventure", "Animation", "Comedy", "Family", "Fantasy"], toy.Genres);
        Assert.Equal(new TitleExternalIds("tt0114709", 862, null), toy.ExternalIds);

        var city = await TitleAsync(db, "movielens", "29");
        Assert.Equal("The City of Lost Children", city.Title);
        Assert.Equal(["La Cité des enfants perdus"], city.Aliases.Select(a => a.Title));
        Assert.Contains("Science Fiction", city.Genres);

        var monkeys = await TitleAsync(db, "movielens", "32");
        Assert.Equal(("12 Monkeys", "aka"), (monkeys.Aliases[0].Title, monkeys.Aliases[0].Kind));

        Assert.Equal(new TitleExternalIds("tt0118308", null, null), (await TitleAsync(db, "movielens", "26958")).ExternalIds);
        var babylon = await TitleAsync(db, "movielens", "40697");
        Assert.Equal((null, 0), (babylon.Year, babylon.Genres.Count));
    }

    [EachDatabase]
    public async Task The_path_may_be_movies_csv_with_links_csv_beside_it(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        Folder(db, Movies, Links);

        await RunAsync(db, Path.Combine(db.DataDir, "ml", "movies.csv"), "movielens");

        Assert.Equal("tt0116191", (await TitleAsync(db, "movielens", "838")).ExternalIds.Imdb);
    }

    [EachDatabase]
    public async Task Without_links_csv_the_movies_have_no_external_ids(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);

        var summary = await RunAsync(db, Folder(db, Movies), "movielens");

        Assert.Equal(6L, summary.Imported);
        Assert.Equal(new TitleExternalIds(null, null, null), (await TitleAsync(db, "movielens", "1")).ExternalIds);
    }

    [EachDatabase]
    public async Task Links_out_of_movie_order_are_still_found(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var shuffled = Crlf("""
            movieId,imdbId,tmdbId
            838,0116191,3573
            1,0114709,862
            40697,0105946,
            32,0114746,63
            29,0112682,902

            """);

        await RunAsync(db, Folder(db, Movies, shuffled), "movielens");

        Assert.Equal("tt0114709", (await TitleAsync(db, "movielens", "1")).ExternalIds.Imdb);
        Assert.Equal(63, (await TitleAsync(db, "movielens", "32")).ExternalIds.Tmdb);
        Assert.Equal("tt0116191", (await TitleAsync(db, "movielens", "838")).ExternalIds.Imdb);
        Assert.Null((await TitleAsync(db, "movielens", "26958")).ExternalIds.Imdb);
    }

    [EachDatabase]
    public async Task Importing_again_updates_the_titles_and_adds_nothing(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var folder = Folder(db, Movies, Links);
        await RunAsync(db, folder, "movielens");
        var before = await CountsAsync(db);

        var again = await RunAsync(db, folder, "movielens");

        Assert.Equal((0L, 6L), (again.Imported, again.Updated));
        Assert.Equal(before, await CountsAsync(db));
    }

    [EachDatabase]
    public async Task A_bad_row_is_skipped_with_its_line(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var movies = Crlf("""
            movieId,title,genres
            1,Toy Story (1995),Animation
            x2,Jumanji (1995),Adventure
            3,Grumpier Old Men (1995),Comedy

            """);

        var summary = await RunAsync(db, Folder(db, movies, Links), "movielens");

        Assert.Equal(2L, summary.Imported);
        var bad = Assert.Single(summary.SkippedRows);
        Assert.Equal((3, "movieId 'x2' is not a number"), (bad.Line, bad.Reason));
    }

    [EachDatabase]
    public async Task A_movie_in_a_streaming_catalog_merges_into_the_MovieLens_title_of_the_same_name_year_and_kind(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        await RunAsync(db, Folder(db, Movies, Links), "movielens");
        var netflix = WriteFile(db, "netflix_titles.csv", """
            show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description
            s1,Movie,Toy Story,John Lasseter,"Tom Hanks, Tim Allen",United States,"January 1, 2020",1995,G,81 min,Children & Family Movies,Toys come to life.
            s2,Movie,Emma,,,,,1996,PG,121 min,Romantic Movies,Two MovieLens titles have this name and year.
            s3,TV Show,Twelve Monkeys,,,,,1995,TV-14,1 Season,TV Dramas,Not the film.

            """);

        var summary = await StreamingAsync(db, netflix, "netflix");

        Assert.Equal((1L, 2L), (summary.Merged, summary.Imported));
        var toy = await TitleAsync(db, "streaming-csv:netflix", "s1");
        Assert.Equal((await TitleAsync(db, "movielens", "1")).Id, toy.Id);
        Assert.Equal(new TitleExternalIds("tt0114709", 862, null), toy.ExternalIds);
        Assert.Equal(81, toy.RuntimeMin);
        Assert.Equal(["Tom Hanks", "Tim Allen"], toy.Credits.Where(c => c.Role == "actor").Select(c => c.Name));
        Assert.Equal("netflix", Assert.Single(toy.Availability["US"]).Platform);

        var emma = await TitleAsync(db, "streaming-csv:netflix", "s2");
        Assert.NotEqual((await TitleAsync(db, "movielens", "838")).Id, emma.Id);
        Assert.NotEqual((await TitleAsync(db, "movielens", "26958")).Id, emma.Id);
        Assert.Equal("series", (await TitleAsync(db, "streaming-csv:netflix", "s3")).Kind);
        Assert.NotEqual((await TitleAsync(db, "movielens", "32")).Id, (await TitleAsync(db, "streaming-csv:netflix", "s3")).Id);
    }

    [EachDatabase]
    public async Task A_MovieLens_movie_merges_into_the_streaming_title_imported_first(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        await StreamingAsync(db, WriteFile(db, "disney_plus_titles.csv", """
            show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description
            s9,Movie,Toy Story,John Lasseter,,,"November 12, 2019",1995,G,84 min,"Animation, Comedy, Family",Toys come to life.

            """), "disney-plus");

        var summary = await RunAsync(db, Folder(db, Movies, Links), "movielens");

        Assert.Equal((1L, 5L), (summary.Merged, summary.Imported));
        var toy = await TitleAsync(db, "movielens", "1");
        Assert.Equal((await TitleAsync(db, "streaming-csv:disney-plus", "s9")).Id, toy.Id);
        Assert.Equal("tt0114709", toy.ExternalIds.Imdb);
        Assert.Equal(["Adventure", "Animation", "Comedy", "Family", "Fantasy"], toy.Genres);
    }

    [Theory]
    [InlineData("Adventure|Animation|Children|Comedy|Fantasy", new[] { "Adventure", "Animation", "Family", "Comedy", "Fantasy" })]
    [InlineData("Action|Sci-Fi|IMAX", new[] { "Action", "Science Fiction" })]
    [InlineData("Film-Noir|Crime|Musical", new[] { "Crime", "Film-Noir", "Music" })]
    [InlineData("(no genres listed)", new string[0])]
    public void Genres_become_ours(string pipe, string[] genres) =>
        Assert.Equal(genres, MovieLensFormat.GenresFor(pipe));
}
