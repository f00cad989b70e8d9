using Watchlog.Imports.Catalog;
using Watchlog.Imports.Catalog.Imdb;

namespace Watchlog.Imports;

public static class ImportsModule
{
    public static void AddImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogImport>();
        builder.Services.AddSingleton<ICatalogFormat, JsonlFormat>();
        builder.Services.AddSingleton<ICatalogFormat, StreamingCsvFormat>();
        builder.Services.AddSingleton<ICatalogFormat, MovieLensFormat>();
        builder.Services.AddSingleton<ICatalogFormat, ImdbFormat>();
    }
}
