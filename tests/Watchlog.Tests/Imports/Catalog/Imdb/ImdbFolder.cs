using System.IO.Compression;
using System.Text;

namespace Watchlog.Tests.Imports.Catalog.Imdb;

/// <summary>A temporary folder of IMDb dataset files written by a test, in the real format: tabs, \N, no quoting.</summary>
public sealed class ImdbFolder : IDisposable
{
    public const string Null = @"\N";
    public const string Basics = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres";
    public const string Ratings = "tconst\taverageRating\tnumVotes";
    public const string Akas = "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle";
    public const string Principals = "tconst\tordering\tnconst\tcategory\tjob\tcharacters";
    public const string Episodes = "tconst\tparentTconst\tseasonNumber\tepisodeNumber";
    public const string Names = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles";

    public string Path { get; } = Directory.CreateTempSubdirectory("watchlog-imdb-").FullName;

    /// <summary>One line: the fields joined by tabs.</summary>
    public static string Row(params string[] fields) => string.Join('\t', fields);

    /// <summary>Writes <paramref name="file"/> (e.g. "title.basics.tsv" or "title.principals.tsv.gz") with a header and lines.</summary>
    public ImdbFolder Write(string file, string header, params string[] lines)
    {
        var path = System.IO.Path.Combine(Path, file);
        File.Delete(path);
        var text = Encoding.UTF8.GetBytes(string.Join('\n', [header, .. lines]) + "\n");
        using var stream = File.Create(path);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Fastest);
            gzip.Write(text);
        }
        else
        {
            stream.Write(text);
        }
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
