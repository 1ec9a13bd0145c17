using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeatureStore.UnitTests.Security;

public sealed class ApiKeyCacheTests
{
    private static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly KeySource _source = new();
    private readonly ApiKeyCache _cache;

    public ApiKeyCacheTests()
    {
        _source.Answer = Key(revokedAt: null);
        _cache = new ApiKeyCache(_source, Options.Create(new AuthOptions { KeyCacheTime = CacheTime, KeyGraceWhileRegistryDown = Grace }),
            _clock);
    }

    [Fact]
    public async Task Uses_of_a_key_with_no_verdict_wait_for_one_lookup_together()
    {
        _source.Close();
        var uses = Enumerable.Range(0, 50).Select(_ => _cache.VerifyAsync("text", "hash", CancellationToken.None).AsTask()).ToList();
        Assert.Equal(1, _source.Calls);
        Assert.All(uses, use => Assert.False(use.IsCompleted));

        _source.Open();
        Assert.All(await Task.WhenAll(uses), verdict => Assert.IsType<KeyVerdict.Accepted>(verdict));
        Assert.Equal(1, _source.Calls);
    }

    [Fact]
    public async Task Uses_after_a_verdict_ran_out_wait_for_one_lookup_together()
    {
        await VerifyAsync();
        _clock.Advance(CacheTime);
        _source.Close();
        var uses = Enumerable.Range(0, 20).Select(_ => _cache.VerifyAsync("text", "hash", CancellationToken.None).AsTask()).ToList();
        Assert.Equal(2, _source.Calls);
        _source.Open();
        await Task.WhenAll(uses);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public async Task A_verdict_in_its_last_quarter_is_renewed_in_the_background_and_never_waited_for()
    {
        await VerifyAsync();
        _clock.Advance(CacheTime * 0.8);
        _source.Close();
        var uses = Enumerable.Range(0, 20).Select(_ => _cache.VerifyAsync("text", "hash", CancellationToken.None)).ToList();
        Assert.All(uses, use =>
        {
            Assert.True(use.IsCompleted);
            Assert.IsType<KeyVerdict.Accepted>(use.Result);
        });
        Assert.Equal(2, _source.Calls); // one renewal, however many uses saw the verdict old

        _source.Open();
        await _source.Answered(2);
        _clock.Advance(CacheTime * 0.5); // past the first verdict's end, within the renewed one's
        var later = _cache.VerifyAsync("text", "hash", CancellationToken.None);
        Assert.True(later.IsCompleted);
        Assert.Equal(2, _source.Calls);
    }

    [Fact]
    public async Task A_renewal_that_fails_leaves_the_verdict_until_its_time_and_then_the_grace_applies()
    {
        await VerifyAsync();
        _source.Failing = true;
        _clock.Advance(CacheTime * 0.8);
        Assert.IsType<KeyVerdict.Accepted>(await VerifyAsync());
        await _source.Answered(2);
        _clock.Advance(CacheTime * 0.1);
        Assert.IsType<KeyVerdict.Accepted>(await VerifyAsync());

        _clock.Advance(CacheTime * 0.2); // the verdict's time is up: asked again, the registry is still down, the grace holds
        Assert.IsType<KeyVerdict.Accepted>(await VerifyAsync());
        _clock.Advance(Grace);
        var unavailable = Assert.IsType<KeyVerdict.Unavailable>(await VerifyAsync());
        Assert.Equal("registry", unavailable.Dependency.Field);
    }

    [Fact]
    public async Task A_verdict_is_not_used_after_its_time_a_key_revoked_meanwhile_is_refused()
    {
        await VerifyAsync();
        _source.Answer = Key(revokedAt: _clock.GetUtcNow());
        _clock.Advance(CacheTime * 0.5);
        Assert.IsType<KeyVerdict.Accepted>(await VerifyAsync()); // within its time, as documented (KeyCacheTime bounds a lost event)
        _clock.Advance(CacheTime * 0.5);
        var refused = Assert.IsType<KeyVerdict.Refused>(await VerifyAsync());
        Assert.StartsWith("was revoked", refused.Reason);
    }

    [Fact]
    public async Task A_revocation_event_drops_the_verdict_at_once()
    {
        await VerifyAsync();
        _cache.Revoked("key-1");
        _source.Answer = null;
        Assert.IsType<KeyVerdict.Refused>(await VerifyAsync());
        Assert.Equal(2, _source.Calls);
    }

    private async Task<KeyVerdict> VerifyAsync() => await _cache.VerifyAsync("text", "hash", CancellationToken.None);

    private static ApiKey Key(DateTimeOffset? revokedAt) => new("key-1", "reader", "team", ["default"], ["reader"], "hash",
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), RevokedAt: revokedAt);

    /// <summary>The registry's side of a key, held shut while a test looks at who is waiting.</summary>
    private sealed class KeySource : IApiKeySource
    {
        private TaskCompletionSource _gate = Opened();
        private int _calls;
        private int _answered;

        public ApiKey? Answer { get; set; }
        public bool Failing { get; set; }
        public int Calls => Volatile.Read(ref _calls);

        public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public async Task Answered(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref _answered) < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_answered} lookups answered, not {count}");
                await Task.Delay(5);
            }
        }

        public async Task<ApiKey?> FindAsync(string text, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            try
            {
                await _gate.Task;
                if (Failing) throw new DependencyUnavailableException([new FieldError("registry", "not reachable")]);
                return Answer;
            }
            finally
            {
                Interlocked.Increment(ref _answered);
            }
        }

        private static TaskCompletionSource Opened()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }
    }
}
