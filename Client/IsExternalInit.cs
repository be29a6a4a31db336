#if NETSTANDARD2_1
namespace System.Runtime.CompilerServices;

// Records need this marker type, which netstandard2.1 lacks; the compiler only looks it up by name.
internal static class IsExternalInit
{
}
#endif
