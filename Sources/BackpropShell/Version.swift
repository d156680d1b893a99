/// The version `backprop --version` prints.
public enum BackpropVersion {
    public static let string = "0.1.0"
}
