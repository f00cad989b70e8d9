using Watchlog.Catalog;
using Watchlog.Imports.Catalog.Imdb;

namespace Watchlog.Tests.Imports.Catalog.Imdb;

public class ImdbEntryTests
{
    static BasicsRow Title(string type = "movie", bool adult = false, string primary = "Blade Runner", string? original = "Blade Runner",
        int? runtime = 117, string? genres = "Action,Drama,Sci-Fi") =>
        new("tt0083658", type, primary, original, adult, 1982, runtime, genres);

    [Theory]
    [InlineData("[\"Walter White\"]", "Walter White")]
    [InlineData("[\"Self - Host\",\"Narrator\"]", "Self - Host")]
    [InlineData("[\"Dr. \\\"Bones\\\" McCoy\"]", "Dr. \"Bones\" McCoy")]
    [InlineData("[\"Amélie Poulain\"]", "Amélie Poulain")]
    [InlineData("[Bob", "Bob")]
    [InlineData(null, null)]
    public void Takes_the_first_character_of_the_JSON_array(string? field, string? character) =>
        Assert.Equal(character, ImdbEntry.Character(field));

    [Theory]
    [InlineData("movie", "movie")]
    [InlineData("tvMovie", "movie")]
    [InlineData("tvSeries", "series")]
    [InlineData("tvMiniSeries", "series")]
    [InlineData("short", null)]
    [InlineData("tvEpisode", null)]
    [InlineData("videoGame", null)]
    public void Maps_title_types_to_kinds(string type, string? kind) => Assert.Equal(kind, ImdbEntry.Kind(type));

    [Fact]
    public void Skips_other_title_types_and_adult_titles_with_reasons()
    {
        Assert.Equal("titleType short is not imported", ImdbEntry.SkipReason(Title("short")));
        Assert.Equal("titleType tvSpecial is not imported", ImdbEntry.SkipReason(Title("tvSpecial")));
        Assert.Equal("adult titles are not imported", ImdbEntry.SkipReason(Title(adult: true)));
        Assert.Null(ImdbEntry.SkipReason(Title("tvMiniSeries")));
    }

    [Fact]
    public void Maps_a_title_with_its_rating_on_the_0_to_100_scale_and_popularity_from_votes()
    {
        var e = ImdbEntry.From(Title(), new RatingRow("tt0083658", 8.1, 999_999), [], []);

        Assert.Equal(("tt0083658", "movie", "Blade Runner", 1982, 117), (e.Id, e.Kind, e.Title, e.Year, e.RuntimeMin));
        Assert.Null(e.OriginalTitle);
        Assert.Equal("tt0083658", e.ExternalIds?.Imdb);
        Assert.Equal(["Action", "Drama", "Science Fiction"], e.Genres);
        Assert.Equal(81, e.AudienceRating);
        Assert.Equal(999_999, e.AudienceVotes);
        Assert.Equal(6.0, e.Popularity);
        Assert.Null(e.Aliases);
        Assert.Null(e.People);
        Assert.Null(EntryRules.Check(e));
    }

    [Fact]
    public void A_title_without_ratings_has_no_rating_and_no_popularity()
    {
        var e = ImdbEntry.From(Title(genres: null), null, [], []);

        Assert.Null(e.AudienceRating);
        Assert.Null(e.AudienceVotes);
        Assert.Null(e.Popularity);
        Assert.Null(e.Genres);
    }

    [Fact]
    public void Keeps_a_different_original_title_and_drops_a_runtime_the_catalog_cannot_hold()
    {
        var e = ImdbEntry.From(Title(primary: "Amélie", original: "Le fabuleux destin d'Amélie Poulain", runtime: 51_420), null, [], []);

        Assert.Equal("Le fabuleux destin d'Amélie Poulain", e.OriginalTitle);
        Assert.Null(e.RuntimeMin);
        Assert.Null(EntryRules.Check(e));
    }

    [Fact]
    public void Akas_become_aliases_except_the_primary_title_without_a_region()
    {
        AkaRow Aka(string title, string? region, string? language = null, string? types = null) => new("tt0083658", title, region, language, types);

        var e = ImdbEntry.From(Title(), null,
            [
                Aka("Blade Runner", null, types: "original"),
                Aka("Blade Runner", "US", types: "imdbDisplay"),
                Aka("Der Blade Runner", "DE", "de", "imdbDisplay"),
                Aka("Blade Runner: The Final Cut", "XWW", "en", "alternative"),
                Aka("Blade Runner", "XWW"),
                Aka("Бегущий по лезвию", "SUHH", "ru"),
                new AkaRow("tt0083658", null, "FR", null, null),
            ], []);

        Assert.Equal(
            [("Blade Runner", "US", null, "imdbDisplay"), ("Der Blade Runner", "DE", "de", "imdbDisplay"),
             ("Blade Runner: The Final Cut", null, "en", "alternative"), ("Бегущий по лезвию", null, "ru", null)],
            e.Aliases!.Select(a => (a.Title, a.Region, a.Language, a.Kind)));
        Assert.Null(EntryRules.Check(e));
    }

    [Fact]
    public void Principals_become_credits_known_by_nconst_with_IMDb_categories_as_roles()
    {
        PrincipalRow P(string? nconst, string category, string? characters = null) => new("tt0083658", nconst, category, characters);

        var e = ImdbEntry.From(Title(), null, [],
            [
                P("nm0000148", "actor", "[\"Rick Deckard\"]"),
                P("nm0000707", "actress", "[\"Rachael\"]"),
                P("nm0000631", "director"),
                P("nm0006310", "composer"),
                P(null, "actor", "[\"Nobody\"]"),
            ]);

        Assert.Null(EntryRules.Check(e));
        Assert.Equal(
            [("nm0000148", "actor", "Rick Deckard"), ("nm0000707", "actress", "Rachael"), ("nm0000631", "director", null), ("nm0006310", "composer", null)],
            e.People!.Select(p => (p.ImdbId, p.Role, p.Character)));
        Assert.Equal(["actor", "actor", "director", "crew"], e.People!.Select(p => EntryRules.Role(p.Role).Role));
        Assert.Null(e.People![0].Name);
    }

    [Fact]
    public void An_episode_takes_its_numbers_from_title_episode_and_its_title_from_title_basics()
    {
        var basics = new BasicsRow("tt2301451", "tvEpisode", "Ozymandias", "Ozymandias", false, 2013, 47, "Drama");

        var result = ImdbEpisodes.From(7, new EpisodeRow("tt2301451", "tt0903747", 5, 14), basics);

        var episode = result.Episode!.Value;
        Assert.Equal((7, "tt0903747", 5), (episode.Line, episode.ParentSourceId, episode.Season));
        Assert.Equal((14, "Ozymandias", 47, "tt2301451"), (episode.Episode.Number, episode.Episode.Title, episode.Episode.RuntimeMin, episode.Episode.ImdbId));
    }

    [Fact]
    public void An_episode_without_numbers_or_series_is_skipped_and_a_placeholder_title_is_left_out()
    {
        var placeholder = new BasicsRow("tt1054724", "tvEpisode", "Episode #1.3", "Episode #1.3", false, 2008, null, null);

        Assert.Equal("episode has no season or episode number", ImdbEpisodes.From(2, new EpisodeRow("tt1", "tt0903747", null, null), null).SkipReason);
        Assert.Equal("episode has no season or episode number", ImdbEpisodes.From(2, new EpisodeRow("tt1", "tt0903747", 1, null), null).SkipReason);
        Assert.Equal("episode has no series", ImdbEpisodes.From(2, new EpisodeRow("tt1", null, 1, 1), null).SkipReason);
        var episode = ImdbEpisodes.From(3, new EpisodeRow("tt1054724", "tt0903747", 1, 3), placeholder).Episode!.Value;
        Assert.Null(episode.Episode.Title);
    }
}
