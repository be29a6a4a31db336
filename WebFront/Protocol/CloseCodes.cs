namespace Messaging.WebFront.Protocol;

/// <summary>WebSocket close codes the protocol assigns meaning to.</summary>
internal static class CloseCodes
{
    public const int Normal = 1000;
    public const int GoingAway = 1001;
    public const int BinaryFrame = 1003;
    public const int InvalidUtf8 = 1007;
    public const int PolicyViolation = 1008;
    public const int FrameTooLarge = 1009;
    public const int ServerError = 1011;
    public const int TokenExpired = 4001;
}
