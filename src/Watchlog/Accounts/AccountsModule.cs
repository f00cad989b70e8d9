using Microsoft.AspNetCore.Authentication;

namespace Watchlog.Accounts;

/// <summary>
/// Users, passwords, sessions with opaque tokens, personal API keys, invitations, and the authentication every other
/// feature relies on: endpoints call <c>.RequireAuthorization()</c> and take a <see cref="CurrentUser"/> parameter.
/// </summary>
public static class AccountsModule
{
    public const string AdminPolicy = "Admin";

    /// <summary>Throws <see cref="SettingsException"/> when <c>Watchlog:Registration</c> or <c>Watchlog:Accounts:*</c> is wrong.</summary>
    public static void AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(AccountsOptions.From(builder.Configuration));
        // Stateless over the Db singleton, like the catalog stores; Passwords keeps its dummy hash for the process.
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<LastUsed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LastUsed>());
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<RegisterUser>();
        builder.Services.AddSingleton<SignIn>();
        builder.Services.AddSingleton<ManageAccount>();

        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(CurrentUser.AdminRole));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AccountsApiJsonContext.Default));
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", AccountsOpenApi.Configure);
    }

    /// <summary><c>/auth/*</c> on the app; <c>/me/*</c> and <c>/admin/*</c> under <paramref name="api"/> (<c>/api</c>).</summary>
    public static void MapAccounts(this WebApplication app, IEndpointRouteBuilder api)
    {
        AuthEndpoints.Map(app);
        MeEndpoints.Map(api);
        app.MapAccountPages();
        app.MapSettingsPages();
    }
}
