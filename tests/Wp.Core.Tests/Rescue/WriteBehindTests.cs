using Wp.Core.Rescue;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Rescue;

public sealed class WriteBehindTests
{
    private const long MiB = WriteBehind.Every;

    [Fact]
    public void Asks_for_writeback_of_each_new_mebibyte_once_and_never_of_less()
    {
        var requests = new List<(long Offset, long Count)>();
        var behind = new WriteBehind((_, offset, count) => requests.Add((offset, count)));
        using var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);

        behind.Written(file, MiB / 2);
        requests.Should().BeEmpty("half a mebibyte is left for the OS and the closing fsync");
        behind.Written(file, MiB + 10);
        behind.Written(file, MiB + 20);
        behind.Written(file, (3 * MiB) + 5);

        requests.Should().Equal((0, MiB + 10), (MiB + 10, (2 * MiB) - 5));
    }

    [Fact]
    public void A_file_that_starts_over_or_was_cut_back_is_followed_from_its_start()
    {
        var requests = new List<(long Offset, long Count)>();
        var behind = new WriteBehind((_, offset, count) => requests.Add((offset, count)));
        using var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        behind.Written(file, 2 * MiB);

        behind.Written(file, 4096); // the next rescue file
        behind.Written(file, MiB);

        requests.Should().Equal((0, 2 * MiB), (0, MiB));
    }

    [Fact]
    public void The_os_request_writes_nothing_itself_and_never_throws_even_for_a_closed_file()
    {
        using var dir = new TempDir();
        var path = dir.Combine("out.txt");
        var bytes = new byte[(3 * MiB) + 1];
        Random.Shared.NextBytes(bytes);
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);

        NativeFiles.StartWriteback(handle, 0, bytes.Length);
        handle.Dispose();
        var closed = () => NativeFiles.StartWriteback(handle, 0, bytes.Length);

        closed.Should().NotThrow();
        File.ReadAllBytes(path).Should().Equal(bytes);
    }
}
