using FeatureStore.Domain.Security;

namespace FeatureStore.IntegrationTests.Storage;

public abstract partial class RegistryStoreContract
{
    private static readonly DateTimeOffset KeyTime = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static (ApiKey Key, string Text) NewKey(string name, DateTimeOffset created, DateTimeOffset? expires = null)
    {
        var (id, text) = ApiKeySecret.Create();
        return (new ApiKey(id, name, "ana@example.test", ["churn", "relsec"], ["reader"], ApiKeySecret.Hash(text), created, expires),
            text);
    }

    [Fact]
    public async Task A_key_is_kept_as_its_hash_and_read_back_whole()
    {
        var ct = TestContext.Current.CancellationToken;
        var (key, text) = NewKey("training-job", KeyTime, KeyTime.AddDays(30));
        key = key with { RequestsPerSecond = 250 };
        await Store.CreateKeyAsync(key, ct);

        var found = await Store.FindKeyAsync(key.Id, ct);
        Assert.NotNull(found);
        Assert.Equal((key.Name, key.Owner, key.SecretHash, key.CreatedAt, key.ExpiresAt),
            (found.Name, found.Owner, found.SecretHash, found.CreatedAt, found.ExpiresAt));
        Assert.Equal(["churn", "relsec"], found.Projects);
        Assert.Equal(["reader"], found.Roles);
        Assert.Equal(250, found.RequestsPerSecond);
        Assert.DoesNotContain(text, found.SecretHash);
        Assert.True(ApiKeySecret.Matches(text, found.SecretHash));
        Assert.Null(await Store.FindKeyAsync("0000000000000000", ct));
    }

    [Fact]
    public async Task A_key_is_revoked_once_and_its_use_only_moves_forward()
    {
        var ct = TestContext.Current.CancellationToken;
        var (older, _) = NewKey("older", KeyTime);
        var (newer, _) = NewKey("newer", KeyTime.AddMinutes(1));
        await Store.CreateKeyAsync(older, ct);
        await Store.CreateKeyAsync(newer, ct);
        Assert.Equal(["newer", "older"], (await Store.ListKeysAsync(ct)).Select(k => k.Name));

        await Store.TouchKeyAsync(older.Id, KeyTime.AddHours(2), ct);
        await Store.TouchKeyAsync(older.Id, KeyTime.AddHours(1), ct);
        Assert.Equal(KeyTime.AddHours(2), (await Store.FindKeyAsync(older.Id, ct))!.LastUsedAt);

        Assert.True(await Store.RevokeKeyAsync(older.Id, KeyTime.AddHours(3), ct));
        Assert.False(await Store.RevokeKeyAsync(older.Id, KeyTime.AddHours(4), ct));
        Assert.False(await Store.RevokeKeyAsync("0000000000000000", KeyTime, ct));
        var revoked = (await Store.FindKeyAsync(older.Id, ct))!;
        Assert.Equal(KeyTime.AddHours(3), revoked.RevokedAt);
        Assert.False(revoked.IsActiveAt(KeyTime.AddHours(3)));
        Assert.True((await Store.FindKeyAsync(newer.Id, ct))!.IsActiveAt(KeyTime.AddHours(3)));
    }
}
