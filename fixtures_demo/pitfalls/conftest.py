"""The pitfall examples are run only by test_pitfall_proofs.py, each in its own process."""

# The bad examples fail on purpose (and SCP401's cannot even be imported under moto 5);
# moto4/ needs moto 4. Outer runs must not collect any of them.
collect_ignore_glob = ["SCP*/bad", "SCP*/good", "SCP*/moto4"]
