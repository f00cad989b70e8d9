using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Watchlog.Metadata;

/// <summary>
/// Resilience for one provider's HttpClient (one instance per provider, so each has its own circuit and rate limit):
/// a client-side token bucket, a timeout per attempt, up to 3 retries with exponential backoff and jitter on 5xx, 429
/// and timeouts (a <c>Retry-After</c> is honoured, up to <see cref="MaxRetryAfter"/>), and a circuit breaker that stops
/// calling a provider that keeps failing.
/// </summary>
public sealed class ProviderHandler : DelegatingHandler
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    readonly RateLimiter? _limiter;
    readonly TimeSpan _timeout;

    /// <summary>The provider's HttpClient: this handler over a pooled socket handler (at most 20 connections, as TMDB asks).</summary>
    public static HttpClient CreateClient(string provider, ProviderOptions options, TimeSpan timeout, TimeSpan retryDelay, ILogger log) =>
        new(new ProviderHandler(provider, options, timeout, retryDelay, log)
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 20 },
        }) { Timeout = Timeout.InfiniteTimeSpan };

    ProviderHandler(string provider, ProviderOptions options, TimeSpan timeout, TimeSpan retryDelay, ILogger log)
    {
        _timeout = timeout;
        _limiter = Limiter(options.RequestsPerSecond);
        var handle = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<AttemptTimeoutException>()
            .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    log.LogInformation("{Provider}: retry {Attempt} in {Delay} after {Outcome}", provider, args.AttemptNumber + 1, args.RetryDelay,
                        args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                OnOpened = args => { log.LogWarning("{Provider}: circuit opened for {Duration}", provider, args.BreakDuration); return default; },
            })
            .Build();
    }

    static RateLimiter? Limiter(double perSecond)
    {
        if (perSecond <= 0) return null;
        var (tokens, period) = perSecond >= 10
            ? ((int)Math.Round(perSecond / 10), TimeSpan.FromMilliseconds(100))
            : (1, TimeSpan.FromSeconds(1 / perSecond));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(tokens, (int)Math.Ceiling(perSecond / 4)),   // a small burst, then the steady rate
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } ra) return null;   // null: the exponential backoff decides
        var wait = ra.Delta ?? (ra.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                if (_limiter is not null)
                {
                    using var lease = await _limiter.AcquireAsync(1, token);
                }
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                attempt.CancelAfter(_timeout);   // the wait for a token above doesn't count against the request
                try { return await base.SendAsync(request, attempt.Token); }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new AttemptTimeoutException($"no answer within {_timeout.TotalSeconds:0.###} s");
                }
            }, ct);
        }
        catch (BrokenCircuitException e) { throw new HttpRequestException($"circuit open: {e.Message}", e); }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _limiter?.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>One attempt got no answer in time.</summary>
public sealed class AttemptTimeoutException(string message) : TimeoutException(message);
