"""Valid BBj programs written for these tests (not copied from anywhere): they keep the
mutation and construct tests meaningful when ../shared/bbj-corpus is absent."""

from __future__ import annotations

GUI_PROGRAM = """rem Simple order entry window
use java.util.HashMap

declare BBjTopLevelWindow wnd!
declare BBjButton okButton!

api! = BBjAPI()
sysgui! = api!.openSysGui("X0")
wnd! = sysgui!.addWindow(100, 100, 420, 240, "Order entry", $00090083$)
wnd!.setCallback(BBjAPI.ON_CLOSE, "onClose")

nameLabel! = wnd!.addStaticText(101, 10, 14, 80, 20, "Customer:")
nameEdit! = wnd!.addEditBox(102, 100, 10, 200, 24, "")
qtyEdit! = wnd!.addInputN(103, 100, 40, 80, 24)
okButton! = wnd!.addButton(1, 100, 80, 90, 26, "OK")
okButton!.setCallback(BBjAPI.ON_BUTTON_PUSH, "onOk")
items! = wnd!.addListBox(104, 210, 40, 190, 150, "")

prices! = new HashMap()
prices!.put("WIDGET", 12.5)
prices!.put("GADGET", 7.25)

process_events

onOk:
    name$ = cvs(nameEdit!.getText(), 3)
    if name$ = "" then
        a = msgbox("Please enter a customer name", 48, "Order entry")
        return
    endif
    qty = qtyEdit!.getValue()
    for i = 1 to qty
        items!.addItem(name$ + " #" + str(i))
    next i
    okButton!.setEnabled(0)
return

onClose:
    release
"""

CLASS_PROGRAM = """rem Accounts with an interface and two implementations
use java.util.ArrayList

interface public Account
    method public BBjNumber balance()
    method public void deposit(BBjNumber amount)
interfaceend

class public SavingsAccount implements Account
    field private BBjNumber Total = 0
    field public BBjString Owner$ = ""

    method public SavingsAccount(BBjString owner$)
        #Owner$ = owner$
    methodend

    method public BBjNumber balance()
        methodret #Total
    methodend

    method public void deposit(BBjNumber amount)
        if amount <= 0 then
            throw "Deposit must be positive", 200
        fi
        #Total = #Total + amount
    methodend

    method public BBjString describe()
        declare StringBuilder sb!
        sb! = new StringBuilder()
        sb!.append(#Owner$).append(": ").append(str(#Total:"###,##0.00"))
        methodret sb!.toString()
    methodend
classend

class public Ledger
    field private ArrayList Accounts! = new ArrayList()

    method public void add(Account acct!)
        #Accounts!.add(acct!)
    methodend

    method public BBjNumber total()
        sum = 0
        it! = #Accounts!.iterator()
        while it!.hasNext()
            acct! = it!.next()
            sum = sum + acct!.balance()
        wend
        methodret sum
    methodend
classend

ledger! = new Ledger()
a! = new SavingsAccount("Ann")
a!.deposit(100)
ledger!.add(a!)
print "Total: ", ledger!.total()
"""

LEGACY_PROGRAM = """rem Customer file maintenance, classic style
    seterr errorHandler
    open (1, err=noFile)"CUSTOMER.DAT"
    dim rec$:"ID:C(6),NAME:C(30),BALANCE:N(10)"
    print 'CS', @(0, 0), "Customer maintenance"
mainLoop:
    input (0, err=mainLoop)@(0, 2), "Customer ID: ", id$
    if id$ = "" then goto done
    read record (1, key=id$, dom=newCustomer)rec$
    print @(0, 4), "Name: ", rec.name$, @(0, 5), "Balance: ", rec.balance:"###,##0.00-"
    goto mainLoop
newCustomer:
    rec.id$ = id$
    input @(0, 4), "Name: ", name$
    rec.name$ = name$, rec.balance = 0
    write record (1, key=id$)rec$
    goto mainLoop
noFile:
    print "Cannot open CUSTOMER.DAT: ", err
    goto done
errorHandler:
    print "Error ", err, " at line ", tcb(5)
    if err = 11 then retry
done:
    close (1)
    release
"""

CONTROL_PROGRAM = """rem Control flow tour
count = 0
repeat
    count = count + 1
until count >= 5

switch count
    case 1
        print "one"
        break
    case 5; print "five"; break
    case default
        print "other"
swend

total = 0
for i = 1 to 10 step 2
    if mod(i, 3) = 0 then continue
    total = total + i
next i

while total > 0
    total = total - 7
    if total < 3 break
wend

if total = 0 then print "zero" else print "not zero"
if total < 0
    print "negative"
else
    print "positive or zero"
endif

def fnsquare(x) = x * x
def fnclamp(v, lo, hi)
    if v < lo then return lo
    if v > hi then return hi
    return v
fnend
print fnsquare(4), fnclamp(12, 0, 10)

on count gosub first, second
gosub first
stop

first:
    print "first"
return
second:
    print "second"
return
"""

SQL_PROGRAM = """rem SQL access with error handling
sqlChan = sqlunt
sqlopen (sqlChan, mode="PROCEDURES=ON", err=noDb)"ChileCompany"
sqlprep (sqlChan)"SELECT CUST_NUM, FIRST_NAME FROM CUSTOMER WHERE CUST_NUM > ?"
sqlexec (sqlChan)"000100"
dim row$:sqltmpl(sqlChan)
while 1
    row$ = sqlfetch(sqlChan, end=doneFetch)
    print row.cust_num$, " ", row.first_name$
wend
doneFetch:
sqlclose (sqlChan)
rs! = BBjAPI().createSQLRecordSet("ChileCompany", "", "SELECT * FROM ITEM")
while !rs!.isEOF()
    data! = rs!.getCurrentRecordData()
    print data!.getFieldValue("ITEM_NUM")
    rs!.next()
wend
release
noDb:
    print "no database: ", errmes(-1)
    release
"""

SAMPLES: dict[str, str] = {
    "gui": GUI_PROGRAM,
    "classes": CLASS_PROGRAM,
    "legacy": LEGACY_PROGRAM,
    "control": CONTROL_PROGRAM,
    "sql": SQL_PROGRAM,
}
