using Wp.Core.Recovery;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Recovery;

public sealed class InstanceLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_first_taker_holds_it_and_a_second_is_refused_with_a_clear_message()
    {
        InstanceLock.TryAcquire(_dir.Path, out var first, out var error).Should().BeTrue(error);
        using (first)
        {
            InstanceLock.TryAcquire(_dir.Path, out var second, out var refusal).Should().BeFalse();

            second.Should().BeNull();
            refusal.Should().Contain("another wprescue").And.Contain(_dir.Path).And.Contain(InstanceLock.FileName).And.Contain($"(pid {Environment.ProcessId})");
        }
    }

    [Fact]
    public void Released_it_can_be_taken_again_and_the_file_stays()
    {
        InstanceLock.TryAcquire(_dir.Path, out var first, out _).Should().BeTrue();
        first!.Dispose();

        InstanceLock.TryAcquire(_dir.Path, out var again, out var error).Should().BeTrue(error);
        again!.Dispose();

        File.Exists(_dir.Combine(InstanceLock.FileName)).Should().BeTrue("deleting a lock file would let two instances lock different inodes");
        File.ReadAllText(_dir.Combine(InstanceLock.FileName)).Trim().Should().Be(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Creates_a_missing_rescue_folder()
    {
        var root = _dir.Combine("data", "rescue");

        InstanceLock.TryAcquire(root, out var held, out _).Should().BeTrue();
        held!.Dispose();

        Directory.Exists(root).Should().BeTrue();
    }
}
