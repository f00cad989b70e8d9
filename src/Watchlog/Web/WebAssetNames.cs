namespace Watchlog.Web;

/// <summary>Static assets the pages refer to by their logical names (MapStaticAssets serves them fingerprinted).</summary>
public static class WebAssetNames
{
    public const string HtmxPath = "lib/htmx.min.js";

    /// <summary>htmx's URL when the asset was built in; the collection maps known assets to a fingerprinted name.</summary>
    public static string? Htmx(Microsoft.AspNetCore.Components.ResourceAssetCollection assets)
    {
        var url = assets[HtmxPath];
        return url == HtmxPath ? null : url;
    }
}
