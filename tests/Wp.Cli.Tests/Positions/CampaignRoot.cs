using System.Globalization;
using System.Text.RegularExpressions;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Positions;

/// <summary>
/// A usecase copy for restart campaigns: benchmark lines with unique ids appended to gen.dat, the
/// benchmark sink a plain kv file, and a way to count how often each id reached that file.
/// </summary>
internal sealed partial class CampaignRoot : IDisposable
{
    private const string Rest = ", 2453, 2023-05-01 10:02:03, SN-2023-001, gw-router-01, 2023-05-01 10:02:04, status=ok, AB12-CD34, edge-switch-02, 2023-05-01 10:02:05, 2023-05-01 10:02:06, 10.20.30.40, proto=tcp, inbound, bytes=1024, pkts=16, allowed, rule=fw-101, zone=dmz, alpha, beta, 192.168.10.1, gamma, [GET /index.html HTTP/1.1], \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36\"";

    public CampaignRoot(long speedLimit, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        Copy = new UsecaseCopy(test: test);
        Copy.UsePlainFileSinks();
        Copy.Edit("conf/wparse.toml", "speed_limit   = 1000", $"speed_limit   = {speedLimit}");
        Directory.CreateDirectory(Copy.PathOf("data/in_dat"));
        File.WriteAllText(Input, string.Empty);
    }

    public UsecaseCopy Copy { get; }

    public string Root => Copy.Root;

    public string Input => Copy.PathOf("data/in_dat/gen.dat");

    /// <summary>Ids written to the input so far (1..Written).</summary>
    public int Written { get; private set; }

    public static string Line(int id) => id.ToString(CultureInfo.InvariantCulture) + Rest;

    /// <summary>Appends <paramref name="count"/> new lines to <paramref name="path"/> (default: the input).</summary>
    public void Append(int count, string? path = null)
    {
        var lines = Enumerable.Range(Written + 1, count).Select(Line).ToList();
        File.AppendAllLines(path ?? Input, lines);
        Written += count;
    }

    /// <summary>How many complete records of each id the benchmark sink holds.</summary>
    public Dictionary<int, int> Delivered()
    {
        var counts = new Dictionary<int, int>();
        foreach (var line in Copy.Lines("data/out_dat/benchmark.dat"))
        {
            var match = RecordId().Match(line);
            if (match.Success)
            {
                var id = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        return counts;
    }

    /// <summary>Ids missing from the sink and the number of extra copies, for the assertion messages.</summary>
    public (List<int> Missing, int Duplicates) Tally()
    {
        var counts = Delivered();
        var missing = Enumerable.Range(1, Written).Where(id => !counts.ContainsKey(id)).ToList();
        return (missing, counts.Values.Sum(c => c - 1));
    }

    public void Dispose() => Copy.Dispose();

    // A complete record only: a kill -9 may leave a torn last line, which is re-sent after restart.
    [GeneratedRegex("^id: (\\d+), len: .*wp_src_key: \"file_1\"$")]
    private static partial Regex RecordId();
}

/// <summary>Readiness of a started tool: its stop-signal handlers are installed (Linux /proc).</summary>
internal static class SignalReady
{
    /// <summary>Waits until the process catches SIGHUP and SIGUSR1 — installed together with SIGINT/SIGTERM handling.</summary>
    public static async Task WaitAsync(ToolProcess process)
    {
        await Eventually.Async(() => Caught(process.Id), process, TimeSpan.FromSeconds(30));
    }

    private static bool Caught(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigCgt:", StringComparison.Ordinal));
            if (line is null)
            {
                return false;
            }

            var mask = ulong.Parse(line["SigCgt:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return (mask & 1UL) != 0 && (mask & (1UL << 9)) != 0; // SIGHUP (1), SIGUSR1 (10)
        }
        catch (IOException)
        {
            return false;
        }
    }
}
