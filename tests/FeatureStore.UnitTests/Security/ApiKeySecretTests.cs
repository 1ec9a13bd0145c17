using FeatureStore.Domain.Security;

namespace FeatureStore.UnitTests.Security;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void A_new_key_reads_back_its_id_and_matches_only_its_own_hash()
    {
        var (id, text) = ApiKeySecret.Create();
        var (otherId, other) = ApiKeySecret.Create();

        Assert.NotEqual(id, otherId);
        Assert.StartsWith($"fsk_{id}_", text);
        Assert.True(ApiKeySecret.TryReadId(text, out var read));
        Assert.Equal(id, read);
        var hash = ApiKeySecret.Hash(text);
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(text[^20..], hash);
        Assert.True(ApiKeySecret.Matches(text, hash));
        Assert.False(ApiKeySecret.Matches(other, hash));
        // One character changed in the secret is another key.
        var changed = text[..^1] + (text[^1] == 'A' ? 'B' : 'A');
        Assert.False(ApiKeySecret.Matches(changed, hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer something")]
    [InlineData("fsk_0123456789abcdef")]
    [InlineData("fsk_0123456789ABCDEF_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("fsk_0123456789abcdef-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("fsx_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("fsk_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Text_that_is_not_shaped_like_a_key_has_no_id(string? text)
    {
        Assert.False(ApiKeySecret.TryReadId(text, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void A_key_is_active_until_it_expires_or_is_revoked_and_covers_only_its_projects()
    {
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var key = new ApiKey("0123456789abcdef", "k", "ana", ["churn"], ["reader"], "h", at, ExpiresAt: at.AddDays(1));
        Assert.True(key.IsActiveAt(at.AddHours(23)));
        Assert.False(key.IsActiveAt(at.AddDays(1)));
        Assert.False((key with { ExpiresAt = null, RevokedAt = at.AddHours(1) }).IsActiveAt(at.AddHours(2)));
        Assert.True(key.Covers("churn"));
        Assert.False(key.Covers("relsec"));
        Assert.True((key with { Projects = [ApiKey.AllProjects] }).Covers("relsec"));
    }
}
