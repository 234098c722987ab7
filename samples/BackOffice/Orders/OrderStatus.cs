using System.Text.Json.Serialization;

namespace BackOffice.Orders;

/// <summary>Where an order is in fulfilment.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    /// <summary>Paid, waiting to be packed.</summary>
    New,

    /// <summary>Being packed.</summary>
    Packing,

    /// <summary>Handed to the carrier.</summary>
    Shipped,
}
