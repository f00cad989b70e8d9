using Watchlog.Imports.Catalog;

namespace Watchlog.Tests.Imports.Catalog;

public class StreamingCategoriesTests
{
    [Theory]
    // Netflix
    [InlineData("Dramas, International Movies, Romantic Movies", new[] { "Drama", "Romance" })]
    [InlineData("International TV Shows, TV Dramas, TV Mysteries", new[] { "Drama", "Mystery" })]
    [InlineData("Sci-Fi & Fantasy, Action & Adventure", new[] { "Science Fiction", "Fantasy", "Action", "Adventure" })]
    [InlineData("Children & Family Movies, Comedies", new[] { "Family", "Comedy" })]
    [InlineData("Kids' TV, Anime Series", new[] { "Family", "Animation" })]
    [InlineData("Docuseries, Science & Nature TV", new[] { "Documentary" })]
    [InlineData("Stand-Up Comedy & Talk Shows, TV Comedies", new[] { "Comedy", "Talk Show" })]
    [InlineData("British TV Shows, Polish TV Shows, Movies, TV Shows", new string[0])]
    // Prime Video
    [InlineData("Arts, Entertainment, and Culture, Comedy, Special Interest", new[] { "Comedy" })]
    [InlineData("Suspense, Kids, Science Fiction, Military and War", new[] { "Thriller", "Family", "Science Fiction", "War" })]
    [InlineData("Faith and Spirituality, Fitness", new[] { "Faith & Spirituality", "Fitness" })]
    // Disney+
    [InlineData("Action-Adventure, Animals & Nature, Coming of Age", new[] { "Action", "Adventure", "Animals & Nature", "Coming of Age" })]
    [InlineData("Animation, Kids, Musical, Music", new[] { "Animation", "Family", "Music" })]
    [InlineData("Biographical, Historical, Docuseries", new[] { "Biography", "History", "Documentary" })]
    // Hulu
    [InlineData("Documentaries, Black Stories, LGBTQ+", new[] { "Documentary", "LGBTQ" })]
    [InlineData("Sitcom, Adult Animation, Cooking & Food, Lifestyle & Culture", new[] { "Comedy", "Animation", "Cooking & Food", "Lifestyle" })]
    [InlineData("", new string[0])]
    public void Categories_become_genres_and_shelves_are_dropped(string listedIn, string[] genres) =>
        Assert.Equal(genres, StreamingCategories.GenresFor(listedIn));
}
