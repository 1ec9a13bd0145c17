using System.Runtime.InteropServices;

namespace FeatureStore.Samples.Text;

/// <summary>
/// LightLDA (ML.NET's native topic model) prints its progress with C's <c>printf</c>. When standard output is a pipe
/// (a service under the AppHost, a test process reporting to its runner) C buffers it in blocks and writes them
/// wherever a block fills, in the middle of a line — and the log line or runner message written next is broken.
/// Line buffering makes each native line arrive whole. Only glibc's <c>stdout</c> is touched; .NET writes its own.
/// </summary>
internal static class NativeStdout
{
    private const int LineBuffered = 1; // _IOLBF

    private static readonly Lazy<bool> Applied = new(Apply);

    public static void UseLineBuffering() => _ = Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "stdout", out var stdoutVariable))
            return false;
        return SetVBuf(Marshal.ReadIntPtr(stdoutVariable), 0, LineBuffered, 0) == 0;
    }

    // DllImport, not LibraryImport: the generated form needs unsafe code, and these arguments are all blittable.
    [DllImport("libc.so.6", EntryPoint = "setvbuf")]
    private static extern int SetVBuf(nint stream, nint buffer, int mode, nuint size);
}
