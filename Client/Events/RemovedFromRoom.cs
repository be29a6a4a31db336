namespace Messaging.Client;

/// <summary>The room removed this user (<c>kicked</c>, <c>banned</c>, <c>removed</c>, <c>deleted</c>); the client no longer rejoins it.</summary>
public sealed record RemovedFromRoom(string Room, string Reason) : ClientEvent;
