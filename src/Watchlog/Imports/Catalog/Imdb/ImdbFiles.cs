namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>
/// The IMDb dataset files in a folder, each as IMDb publishes it (.tsv.gz) or unpacked (.tsv); the .tsv.gz when both
/// are there. Only title.basics is required.
/// </summary>
sealed record ImdbFiles(string TitleBasics, string? Ratings, string? Akas, string? Principals, string? Episodes, string? Names)
{
    public static ImdbFiles Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ImportException($"--format imdb reads a folder holding title.basics.tsv.gz and IMDb's other files; {folder} is not a folder");
        string? Optional(string name) =>
            new[] { $"{name}.tsv.gz", $"{name}.tsv" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);
        var basics = Optional("title.basics") ?? throw new ImportException($"{folder} holds no title.basics.tsv.gz (or title.basics.tsv)");
        return new ImdbFiles(basics, Optional("title.ratings"), Optional("title.akas"), Optional("title.principals"),
            Optional("title.episode"), Optional("name.basics"));
    }

    /// <summary>Bytes the whole import reads: title.basics is read twice when there are episodes to place.</summary>
    public long TotalBytes =>
        Size(Names) + Size(TitleBasics) + Size(Ratings) + Size(Akas) + Size(Principals) + (Episodes is null ? 0 : Size(Episodes) + Size(TitleBasics));

    static long Size(string? path) => path is null ? 0 : new FileInfo(path).Length;
}
