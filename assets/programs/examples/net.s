; net.s: a user program sends packets with the mini-OS's send() system call.
;
; Shows:  send(ptr, len) is system call 11. The program builds COUNT packets of LENGTH
;         bytes in its own memory and sends each one; the kernel copies it into its packet
;         buffer and hands it to its network driver: the card's registers natively, a split
;         driver's front end (a shared ring, a grant, an event channel) when the mini-OS is
;         built paravirtualized. Sending from a kernel address is refused.
;
; Expected output:
;   sent 8 of 8, refused 1
; Exit code: 0
;ko: net.s: 사용자 프로그램이 mini-OS의 send() 시스템 콜로 패킷을 보냅니다.
;ko:
;ko: 보여 주는 것:  send(ptr, len)은 시스템 콜 11번입니다. 프로그램은 자기 메모리에 LENGTH바이트짜리
;ko:                패킷 COUNT개를 만들어 하나씩 보냅니다. 커널은 패킷을 자기 패킷 버퍼로 복사해
;ko:                네트워크 드라이버에 넘깁니다. 네이티브 빌드에서는 카드의 레지스터를 다루고,
;ko:                반가상화 빌드에서는 분할 드라이버의 앞단(공유 링, 그랜트, 이벤트 채널)을 씁니다.
;ko:                커널 주소에서 보내려 하면 거부됩니다.
;ko:
;ko: 예상 출력:
;ko:   sent 8 of 8, refused 1
;ko: 종료 코드: 0

.equ COUNT, 8
.equ LENGTH, 100

main:
    xor esi, esi                ; esi = packets that went out
                                ;ko: esi = 나간 패킷 수
    xor edi, edi                ; edi = packet number
                                ;ko: edi = 패킷 번호
next:
    mov ecx, LENGTH             ; packet edi: byte j = edi + j
                                ;ko: 패킷 edi의 바이트 j = edi + j
    xor ebx, ebx
fill:
    mov eax, edi
    add eax, ebx
    movb [ebx + packet], eax
    inc ebx
    loop fill
    mov eax, 11                 ; send(packet, LENGTH)
                                ;ko: send(packet, LENGTH)
    mov ebx, packet
    mov ecx, LENGTH
    int 0x80
    test eax, eax
    jne not_sent
    inc esi
not_sent:
    inc edi
    cmp edi, COUNT
    jb next
    mov eax, 11                 ; send from a kernel address: refused (-1)
                                ;ko: 커널 주소에서 보내기: 거부됨(-1)
    mov ebx, 0x1000
    mov ecx, LENGTH
    int 0x80
    mov ebp, eax
    mov ebx, s_sent
    call print
    mov eax, esi
    call print_num
    mov ebx, s_of
    call print
    mov eax, COUNT
    call print_num
    mov ebx, s_refused
    call print
    xor eax, eax
    cmp ebp, -1
    jne show
    inc eax
show:
    call print_num
    call newline
    xor eax, eax
    ret

; the library's print routines for user programs
;ko: 사용자 프로그램용 라이브러리 출력 루틴
.include "print.s"

packet:    .zero LENGTH
s_sent:    .asciz "sent "
s_of:      .asciz " of "
s_refused: .asciz ", refused "
