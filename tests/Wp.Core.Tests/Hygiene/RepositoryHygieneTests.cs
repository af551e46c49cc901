using System.Reflection;
using System.Text.RegularExpressions;
using Wp.Core.Hosting;
using Wp.Core.Oml;
using Wp.Core.Project;
using Wp.Core.Recovery;
using Wp.Core.Timing;

namespace Wp.Core.Tests.Hygiene;

/// <summary>
/// Issue 12's "hygiene that keeps it so", read from the repository itself: the checks CI runs, the banned
/// clock and sleep APIs, a written reason for every analyzer rule switched off, the file splits, one
/// backoff, and the dead code that was removed.
/// </summary>
public sealed partial class RepositoryHygieneTests
{
    private static readonly string Repo = FindRepoRoot();

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Repo, relative));

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repo, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Ci_verifies_formatting_and_the_build_enforces_code_style_with_warnings_as_errors()
    {
        Read(".ci/run").Should().Contain("dotnet format Wp.sln --verify-no-changes");
        var props = Read("Directory.Build.props");
        props.Should().Contain("<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>");
        props.Should().Contain("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
    }

    [Fact]
    public void Wall_clock_reads_blocking_sleeps_and_tick_counts_are_banned_in_src_and_unused()
    {
        Read("src/Directory.Build.props").Should().Contain("Microsoft.CodeAnalysis.BannedApiAnalyzers").And.Contain("BannedSymbols.txt");
        Read("src/BannedSymbols.txt").Should().Contain("P:System.DateTime.Now;").And.Contain("P:System.DateTime.UtcNow;")
            .And.Contain("M:System.Threading.Thread.Sleep(System.Int32);").And.Contain("P:System.Environment.TickCount;")
            .And.Contain("P:System.Environment.TickCount64;");
        SourceFiles().Where(f => BannedUse().IsMatch(File.ReadAllText(f))).Should().BeEmpty();
    }

    [Fact]
    public void Every_analyzer_rule_switched_off_has_a_written_reason()
    {
        var lines = Read(".editorconfig").Split('\n').Select(l => l.Trim()).ToList();
        var unexplained = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("dotnet_diagnostic.", StringComparison.Ordinal) || !lines[i].EndsWith("= none", StringComparison.Ordinal))
            {
                continue;
            }

            // The reason is the comment above the block of rules it belongs to.
            var j = i - 1;
            while (j >= 0 && lines[j].StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            {
                j--;
            }

            if (j < 0 || !lines[j].StartsWith('#'))
            {
                unexplained.Add(lines[i]);
            }
        }

        unexplained.Should().BeEmpty();
    }

    [Fact]
    public void Files_that_did_several_jobs_are_split_one_job_per_file()
    {
        var codec = Directory.GetFiles(Path.Combine(Repo, "src/Wp.Core/Rescue"), "RescueEntryCodec*.cs").Select(Path.GetFileName);
        codec.Should().BeEquivalentTo(
            "RescueEntryCodec.cs", "RescueEntryCodec.PlainEncoder.cs", "RescueEntryCodec.JsonEncoder.cs",
            "RescueEntryCodec.PlainDecoder.cs", "RescueEntryCodec.JsonDecoder.cs", "RescueEntryCodec.NameCache.cs");
        Read("src/Wp.Core/Generation/GenRuleSet.cs").Should().NotContain("class Binder");
        Read("src/Wp.Core/Generation/GenRuleSet.Binder.cs").Should().Contain("class Binder");
        typeof(SpeedLimiter).Namespace.Should().Be("Wp.Core.Timing", "sources, recovery and generation use it, not only the pipeline");
        File.Exists(Path.Combine(Repo, "src/Wp.Core/Pipeline/SpeedLimiter.cs")).Should().BeFalse();
    }

    [Fact]
    public void The_rescue_folder_view_takes_recover_lock_and_bad_from_recovery()
    {
        RescueFolder.CheckpointFileName.Should().Be(CheckpointStore.FileName);
        RescueFolder.BadFolderName.Should().Be(BadLineQuarantine.FolderName);
        Read("src/Wp.Core/Project/RescueFolder.cs").Should().Contain("CheckpointStore.FileName").And.Contain("BadLineQuarantine.FolderName")
            .And.NotContain("\"recover.lock\"").And.NotContain("\"bad\"");
    }

    [Fact]
    public void One_jittered_backoff_serves_the_probe_loop_the_replay_retries_and_the_nats_reconnect()
    {
        foreach (var user in new[] { "src/Wp.Core/Sinks/Runtime/SinkRuntime.cs", "src/Wp.Core/Recovery/RetryBackoff.cs", "src/Wp.Core/Sources/Nats/NatsSource.cs" })
        {
            Read(user).Should().Contain("new JitteredBackoff(", user);
        }

        // A hand-rolled doubling ("x * 2 > max ? max : x * 2") anywhere else is a second backoff.
        SourceFiles().Where(f => Doubling().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName).Should().Equal("JitteredBackoff.cs");
    }

    [Fact]
    public void Dead_code_named_in_issue_12_is_gone()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        typeof(LogSetup).GetMember("CreateBootstrap", All).Should().BeEmpty();
        typeof(OmlModel).GetMember("AppliesTo", All).Should().BeEmpty();
        typeof(StaleLockAdopter).GetMember("FilesAdopted", All).Should().BeEmpty();
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(Utc)?Now\b|\bDateTime\.Today\b|\bThread\.Sleep\s*\(|\bEnvironment\.TickCount(64)?\b")]
    private static partial Regex BannedUse();

    [GeneratedRegex(@"(\w+) \* 2 > \w+(\.\w+)? \? \w+(\.\w+)? : \1 \* 2")]
    private static partial Regex Doubling();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Wp.sln) not found");
    }
}
