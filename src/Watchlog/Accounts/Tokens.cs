using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Watchlog.Accounts;

/// <summary>
/// Opaque credentials: 32 random bytes, base64url. Only their SHA-256 is stored; 256 bits of entropy make a plain,
/// fast hash enough (a slow password hash would only cost time on every request).
/// </summary>
public static class Tokens
{
    /// <summary>Personal API keys start with this, so they are easy to recognise (and to scan for in leaked text).</summary>
    public const string ApiKeyPrefix = "wl_";

    /// <summary>Longer credentials than any we issue are refused before hashing.</summary>
    public const int MaxLength = 128;

    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewApiKey() => ApiKeyPrefix + NewSecret();

    /// <summary>What lists show of a key: the prefix and the first 8 characters of the secret.</summary>
    public static string VisiblePart(string apiKey) => apiKey[..(ApiKeyPrefix.Length + 8)];

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A password people can type: 20 characters from 57 letters and digits without look-alikes (~116 bits).</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
