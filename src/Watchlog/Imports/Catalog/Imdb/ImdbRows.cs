using System.Globalization;

namespace Watchlog.Imports.Catalog.Imdb;

// The columns each file is read by, key first; TsvReader hands their fields over in this order, \N as null.

readonly record struct BasicsRow(string Tconst, string? TitleType, string? PrimaryTitle, string? OriginalTitle, bool IsAdult,
    int? StartYear, int? RuntimeMinutes, string? Genres)
{
    public static readonly string[] Columns = ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "runtimeMinutes", "genres"];

    public static BasicsRow From(string?[] f) => new(f[0] ?? "", f[1], f[2], f[3], f[4] == "1", Tsv.Int(f[5]), Tsv.Int(f[6]), f[7]);
}

readonly record struct RatingRow(string Tconst, double? AverageRating, int? NumVotes)
{
    public static readonly string[] Columns = ["tconst", "averageRating", "numVotes"];

    public static RatingRow From(string?[] f) => new(f[0] ?? "", Tsv.Double(f[1]), Tsv.Int(f[2]));
}

readonly record struct AkaRow(string TitleId, string? Title, string? Region, string? Language, string? Types)
{
    public static readonly string[] Columns = ["titleId", "title", "region", "language", "types"];

    public static AkaRow From(string?[] f) => new(f[0] ?? "", f[1], f[2], f[3], f[4]);
}

readonly record struct PrincipalRow(string Tconst, string? Nconst, string? Category, string? Characters)
{
    public static readonly string[] Columns = ["tconst", "nconst", "category", "characters"];

    public static PrincipalRow From(string?[] f) => new(f[0] ?? "", f[1], f[2], f[3]);
}

readonly record struct EpisodeRow(string Tconst, string? ParentTconst, int? SeasonNumber, int? EpisodeNumber)
{
    public static readonly string[] Columns = ["tconst", "parentTconst", "seasonNumber", "episodeNumber"];

    public static EpisodeRow From(string?[] f) => new(f[0] ?? "", f[1], Tsv.Int(f[2]), Tsv.Int(f[3]));
}

readonly record struct NameRow(string Nconst, string? PrimaryName, int? BirthYear, int? DeathYear)
{
    public static readonly string[] Columns = ["nconst", "primaryName", "birthYear", "deathYear"];

    public static NameRow From(string?[] f) => new(f[0] ?? "", f[1], Tsv.Int(f[2]), Tsv.Int(f[3]));
}

static class Tsv
{
    public static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static double? Double(string? s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
}
