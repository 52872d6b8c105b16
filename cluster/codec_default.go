package cluster

// defaultCodec is the codec used when none is configured. TEMPORARY: nil until
// stego.Hide/Reveal land on main; then it becomes StegoCodec{}.
var defaultCodec Codec
