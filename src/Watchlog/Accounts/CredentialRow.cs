namespace Watchlog.Accounts;

/// <summary>What a token or API-key lookup reads: the credential's row and last use, and its owner as a request sees them.</summary>
class CredentialRow
{
    public long UserId { get; init; }
    public string Email { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Region { get; init; } = "";
    public bool IsAdmin { get; init; }
    public long Id { get; init; }
    public DateTime? LastUsedAt { get; init; }
}
