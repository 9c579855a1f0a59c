using Chancery.Archive;
using Microsoft.Extensions.Hosting;

namespace Chancery.Web.Hosting;

/// <summary>
/// Calls <see cref="IArchive.Maintain"/> every few seconds while the server runs: the server is the one process
/// that reads without pause, so it is the one that must let the embedded archive reset its write-ahead log.
/// </summary>
internal sealed class ArchiveMaintenance(IArchive archive) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // off the request threads; Maintain never throws for a busy archive
                await Task.Run(archive.Maintain, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // the server is stopping
        }
    }
}
