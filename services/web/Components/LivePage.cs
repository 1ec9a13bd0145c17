using Microsoft.AspNetCore.Components;

namespace FeatureStore.Web.Components;

/// <summary>
/// A page that keeps itself current: <see cref="Follow"/> reads again at an interval and redraws, until the person leaves (the
/// circuit disposes the page, which cancels <see cref="Leaving"/> and every call made with it).
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _leaving = new();

    protected CancellationToken Leaving => _leaving.Token;

    protected void Follow(TimeSpan every, Func<Task> refresh) => _ = FollowAsync(every, refresh);

    private async Task FollowAsync(TimeSpan every, Func<Task> refresh)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(Leaving))
            {
                await refresh();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _leaving.Cancel();
        _leaving.Dispose();
        GC.SuppressFinalize(this);
    }
}
