namespace Defs

def double (n : Nat) : Nat := 2 * n

def square (n : Nat) : Nat := n * n

end Defs
