using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchlog.Accounts;

/// <summary>A row of <c>users</c>. Never sent as-is: <see cref="UserView"/> is the wire shape (no hash).</summary>
public sealed record User
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string TimeZone { get; init; } = "UTC";
    public string Region { get; init; } = "US";
    public bool IsAdmin { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public sealed record UserView(long Id, string Email, string FirstName, string LastName, string TimeZone, string Region,
    bool IsAdmin, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserView From(User u) => new(u.Id, u.Email, u.FirstName, u.LastName, u.TimeZone, u.Region, u.IsAdmin, u.CreatedAt, u.UpdatedAt);
}

// Requests: every field nullable, so a missing field is a 400 naming it rather than a binding failure.

public sealed record RegisterRequest
{
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? InviteCode { get; init; }
}

public sealed record LoginRequest
{
    public string? Email { get; init; }
    public string? Password { get; init; }
}

public sealed record RefreshRequest
{
    public string? RefreshToken { get; init; }
}

public sealed record UpdateMeRequest
{
    public string? Email { get; init; }
    public string? CurrentPassword { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? TimeZone { get; init; }
    public string? Region { get; init; }
}

public sealed record ChangePasswordRequest
{
    public string? CurrentPassword { get; init; }
    public string? NewPassword { get; init; }
}

public sealed record DeleteAccountRequest
{
    public string? Password { get; init; }
}

public sealed record CreateApiKeyRequest
{
    public string? Name { get; init; }
}

public sealed record CreateInvitationRequest
{
    public string? Email { get; init; }
}

public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string RefreshToken, long RefreshExpiresIn, UserView User);

/// <summary>A new API key: the only time the secret is shown.</summary>
public sealed record CreatedApiKey(long Id, string Name, string Key, string Prefix, DateTime CreatedAt);

public sealed record ApiKeyItem
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Prefix { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
}

public sealed record ApiKeyList(IReadOnlyList<ApiKeyItem> Items, string? NextCursor);

public sealed record CreatedInvitation(long Id, string Code, string? Email, DateTime ExpiresAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(UpdateMeRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(DeleteAccountRequest))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(CreateInvitationRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(CreatedInvitation))]
internal sealed partial class AccountsApiJsonContext : JsonSerializerContext;
