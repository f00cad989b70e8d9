using System.Globalization;
using System.Text;

namespace Watchlog.Catalog;

/// <summary>Keys for matching names that people write differently: case, accents, punctuation, '&amp;' and '+'.</summary>
public static class Normalize
{
    /// <summary>
    /// Title and person match key: lower-case letters and digits separated by single spaces, accents removed,
    /// '&amp;' as "and", a leading article kept. "Amélie" → "amelie", "Spider-Man" → "spider man",
    /// "WALL·E" → "wall e", "Love, Death &amp; Robots" → "love death and robots".
    /// </summary>
    public static string MatchKey(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        // ASCII is already in normal form: skip the costly decomposition (most titles and overviews).
        foreach (var c in System.Text.Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (c is '\'' or '’' or '‘' or 'ʼ') continue; // "Schindler's" → "schindlers"
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(char.ToLowerInvariant(Fold(c)));
            }
            else if (c == '&')
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append("and");
                pendingSpace = true;
            }
            else pendingSpace = true;
        }
        return sb.ToString();
    }

    /// <summary>Platform alias key: letters and digits only, '+' as "plus": "Disney+" and "Disney Plus" → "disneyplus".</summary>
    public static string PlatformKey(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "";
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (c == '+') sb.Append("plus");
            else if (c == '&') sb.Append("and");
        }
        return sb.ToString();
    }

    /// <summary>URL slug: "Science Fiction" → "science-fiction", "Apple TV+" → "apple-tv-plus".</summary>
    public static string Slug(string? name) =>
        MatchKey(name?.Replace("+", " plus ", StringComparison.Ordinal)).Replace(' ', '-');

    // Letters that FormKD does not decompose into a base letter plus a mark.
    static char Fold(char c) => c switch
    {
        'ø' or 'Ø' => 'o',
        'ł' or 'Ł' => 'l',
        'đ' or 'Đ' => 'd',
        'ß' => 's',
        'æ' or 'Æ' => 'a',
        'œ' or 'Œ' => 'o',
        'ı' => 'i',
        _ => c,
    };
}
