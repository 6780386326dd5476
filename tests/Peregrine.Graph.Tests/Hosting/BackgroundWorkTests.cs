using Microsoft.Extensions.Logging.Abstractions;
using Peregrine.Graph.Hosting;

namespace Peregrine.Graph.Tests.Hosting;

/// <summary>Work started in the background ends when the host stops, and none starts afterwards.</summary>
public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task Stopping_cancels_every_loop_waits_for_it_and_refuses_new_work()
    {
        var work = new BackgroundWork(NullLogger<BackgroundWork>.Instance);
        var ended = 0;
        var started = new CountdownEvent(3);
        for (var i = 0; i < 3; i++)
            work.Run(async ct =>
            {
                started.Signal();
                try { await Task.Delay(Timeout.Infinite, ct); }
                finally { Interlocked.Increment(ref ended); }
            }, "loop");
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));

        await work.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(3, ended); // StopAsync returned only once every loop had ended

        var ranAfterStop = false;
        work.Run(_ => { ranAfterStop = true; return Task.CompletedTask; }, "late");
        await Task.Delay(200);
        Assert.False(ranAfterStop);
    }

    [Fact]
    public async Task A_loop_that_ignores_its_token_does_not_hold_up_shutdown_past_the_deadline()
    {
        var work = new BackgroundWork(NullLogger<BackgroundWork>.Instance);
        work.Run(_ => Task.Delay(TimeSpan.FromSeconds(30)), "stubborn");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await work.StopAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_failure_is_logged_not_thrown_at_the_caller()
    {
        var work = new BackgroundWork(NullLogger<BackgroundWork>.Instance);
        work.Run(_ => throw new InvalidOperationException("boom"), "failing");
        await work.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
    }
}
