using Microsoft.AspNetCore.Identity;

namespace Watchlog.Accounts;

/// <summary>
/// PBKDF2 hashes through ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (format v3, HMAC-SHA512,
/// 100,000 iterations) and the password rules. Hashing takes tens of milliseconds on purpose: never inside a write.
/// </summary>
public sealed class Passwords
{
    public const int MinLength = 10;
    public const int MaxLength = 256;

    readonly PasswordHasher<User> _hasher = new();
    readonly Lazy<string> _dummyHash;

    public Passwords() => _dummyHash = new Lazy<string>(() => _hasher.HashPassword(null!, Tokens.NewSecret()));

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public PasswordVerificationResult Verify(string hash, string password) => _hasher.VerifyHashedPassword(null!, hash, password);

    /// <summary>Spends the same time as checking a real password, for sign-ins with an unknown email.</summary>
    public void VerifyDummy(string password) => _hasher.VerifyHashedPassword(null!, _dummyHash.Value, password);

    /// <summary>Why <paramref name="password"/> can't be used, or null. <paramref name="email"/> is the normalized address.</summary>
    public static string? Problem(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password)) return "Enter a password.";
        if (string.IsNullOrWhiteSpace(password)) return "A password can't be only spaces.";
        if (password.Length < MinLength) return $"A password needs at least {MinLength} characters.";
        if (password.Length > MaxLength) return $"A password has at most {MaxLength} characters.";
        if (CommonPasswords.Contains(password.Trim())) return "This is one of the most common passwords; choose another.";
        if (email is { Length: > 0 })
        {
            var local = email[..Math.Max(0, email.IndexOf('@'))];
            if (string.Equals(password.Trim(), email, StringComparison.OrdinalIgnoreCase) ||
                (local.Length > 0 && string.Equals(password.Trim(), local, StringComparison.OrdinalIgnoreCase)))
                return "A password can't be your email address.";
        }
        return null;
    }
}

/// <summary>A few hundred of the most used passwords (from public breach-corpus rankings), embedded as a text resource.</summary>
static class CommonPasswords
{
    static readonly HashSet<string> List = Load();

    public static bool Contains(string password) => List.Contains(password);

    public static int Count => List.Count;

    static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("Watchlog.Accounts.common-passwords.txt")
                           ?? throw new InvalidOperationException("The common-passwords resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line);
        }
        return set;
    }
}
